package cache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/shared"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// source is a scripted credential source: each refresh takes the next result from
// results (or mints credentials valid for life), after waiting on gate if set.
type source struct {
	clk     *clock.Fake
	life    time.Duration
	calls   atomic.Int64
	started chan struct{} // receives one value per refresh that starts, if non-nil
	gate    chan struct{} // each refresh waits for one value, if non-nil

	mu   sync.Mutex
	errs []error // returned by the next refreshes, in order, before minting
}

func (s *source) fn(ctx context.Context, _ *shared.Credentials) (shared.Credentials, error) {
	n := s.calls.Add(1)
	if s.started != nil {
		s.started <- struct{}{}
	}
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return shared.Credentials{}, ctx.Err()
		}
	}
	s.mu.Lock()
	if len(s.errs) > 0 {
		err := s.errs[0]
		s.errs = s.errs[1:]
		s.mu.Unlock()
		return shared.Credentials{}, err
	}
	s.mu.Unlock()
	return shared.Credentials{
		AccessKeyID:     fmt.Sprintf("AKID%04d", n),
		SecretAccessKey: fmt.Sprintf("secret-%04d", n),
		SessionToken:    fmt.Sprintf("token-%04d", n),
		Expires:         s.clk.Now().Add(s.life),
	}, nil
}

func (s *source) failNext(errs ...error) {
	s.mu.Lock()
	s.errs = append(s.errs, errs...)
	s.mu.Unlock()
}

// newRole returns a role over s with no jitter (Rand fixed at the middle) and a channel
// of finished refresh events.
func newRole(t *testing.T, s *source) (*Role, chan Event) {
	t.Helper()
	events := make(chan Event, 100)
	r := New(s.fn, Options{
		Name: "analytics", Source: "test", Clock: s.clk,
		Rand:      func() float64 { return 0.5 },
		OnRefresh: func(e Event) { events <- e },
	})
	t.Cleanup(r.Close)
	return r, events
}

// primedRole is newRole with its first credentials fetched and that refresh's event
// consumed.
func primedRole(t *testing.T, s *source) (*Role, chan Event) {
	t.Helper()
	r, events := newRole(t, s)
	if _, err := r.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	recv(t, events, "first refresh")
	return r, events
}

func newSource(life time.Duration) *source {
	return &source{clk: clock.NewFake(t0), life: life}
}

func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

func TestFirstRetrieveFetches(t *testing.T) {
	s := newSource(time.Hour)
	r, _ := newRole(t, s)
	c, err := r.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != "AKID0001" || c.SecretAccessKey != "secret-0001" || c.SessionToken != "token-0001" {
		t.Fatalf("got %+v", c)
	}
	// The SDK is told the credentials expire at the start of the mandatory window.
	if want := t0.Add(time.Hour - DefaultMandatory); !c.Expires.Equal(want) || !c.CanExpire {
		t.Fatalf("Expires = %v, want %v", c.Expires, want)
	}
	if c.Source != "brs:test" {
		t.Fatalf("Source = %q", c.Source)
	}
	full, err := r.Credentials(context.Background())
	if err != nil || !full.Expires.Equal(t0.Add(time.Hour)) {
		t.Fatalf("Credentials() = %v, %v; want the real expiry", full, err)
	}
	if n := s.calls.Load(); n != 1 {
		t.Fatalf("refreshes = %d, want 1", n)
	}
}

// TestCoalescedRefresh: 1,000 goroutines on an empty role, then on an expired one,
// cause exactly one refresh each time.
func TestCoalescedRefresh(t *testing.T) {
	s := newSource(time.Hour)
	s.gate = make(chan struct{})
	r, _ := newRole(t, s)

	burst := func(wantKey string) {
		const n = 1000
		var ready, done sync.WaitGroup
		ready.Add(n)
		done.Add(n)
		errs := make(chan error, n)
		for range n {
			go func() {
				defer done.Done()
				ready.Done()
				c, err := r.Retrieve(context.Background())
				if err == nil && c.AccessKeyID != wantKey {
					err = fmt.Errorf("got key %s, want %s", c.AccessKeyID, wantKey)
				}
				if err != nil {
					errs <- err
				}
			}()
		}
		ready.Wait()
		s.gate <- struct{}{} // release the one refresh
		done.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
	burst("AKID0001")
	if n := s.calls.Load(); n != 1 {
		t.Fatalf("empty role: %d refreshes for 1000 callers, want 1", n)
	}
	s.clk.Advance(2 * time.Hour) // expired; the background timer's refresh joins too
	burst("AKID0002")
	if n := s.calls.Load(); n != 2 {
		t.Fatalf("expired role: %d refreshes in all, want 2", n)
	}
}

// TestBackgroundRefreshNeverBlocks: inside the advisory window the scheduler refreshes
// in the background, and callers get the old, still valid credentials at once while
// that refresh is stuck.
func TestBackgroundRefreshNeverBlocks(t *testing.T) {
	s := newSource(time.Hour)
	r, events := primedRole(t, s)
	// No jitter: the timer is due at expiry − advisory.
	if p := s.clk.Pending(); len(p) != 1 || !p[0].Equal(t0.Add(time.Hour-DefaultAdvisory)) {
		t.Fatalf("pending timers %v, want one at %v", p, t0.Add(time.Hour-DefaultAdvisory))
	}
	s.started = make(chan struct{}, 1)
	s.gate = make(chan struct{})
	s.clk.Advance(time.Hour - DefaultAdvisory + time.Second)
	recv(t, s.started, "background refresh to start")

	for i := range 100 {
		c, err := r.Retrieve(context.Background())
		if err != nil || c.AccessKeyID != "AKID0001" {
			t.Fatalf("call %d during background refresh: %v, %v; want old credentials at once", i, c.AccessKeyID, err)
		}
	}
	if st := r.Status(); !st.Refreshing {
		t.Fatalf("Status().Refreshing = false during the refresh")
	}
	close(s.gate)
	ev := recv(t, events, "background refresh to end")
	if !ev.Background || ev.Err != nil || ev.AccessKeyID != "AKID0002" {
		t.Fatalf("event %+v", ev)
	}
	c, _ := r.Retrieve(context.Background())
	if c.AccessKeyID != "AKID0002" {
		t.Fatalf("after the background refresh got %s", c.AccessKeyID)
	}
	if n := s.calls.Load(); n != 2 {
		t.Fatalf("refreshes = %d, want 2", n)
	}
}

// TestHotPathKicksRefresh: if the timer is late (a suspended laptop), the first caller
// inside the advisory window starts the refresh, without waiting for it.
func TestHotPathKicksRefresh(t *testing.T) {
	s := newSource(time.Hour)
	r, events := primedRole(t, s)
	r.mu.Lock()
	r.scheduleLocked(time.Time{}, s.clk.Now()) // the timer is lost
	r.mu.Unlock()
	s.clk.Advance(57 * time.Minute)
	c, err := r.Retrieve(context.Background())
	if err != nil || c.AccessKeyID != "AKID0001" {
		t.Fatalf("got %v, %v; want the old credentials", c.AccessKeyID, err)
	}
	if ev := recv(t, events, "kicked refresh"); ev.AccessKeyID != "AKID0002" || !ev.Background {
		t.Fatalf("event %+v", ev)
	}
}

// TestMandatoryWindowWaits: inside the mandatory window a caller gets the new
// credentials, never the old ones.
func TestMandatoryWindowWaits(t *testing.T) {
	s := newSource(time.Hour)
	r, events := primedRole(t, s)
	s.failNext(shared.Retryable("Throttling", "slow down")) // the background attempt fails
	s.clk.Advance(time.Hour - DefaultAdvisory)
	if ev := recv(t, events, "failed background refresh"); ev.Err == nil {
		t.Fatal("background refresh should have failed")
	}
	// Static stability: still valid, still served, no error.
	if c, err := r.Retrieve(context.Background()); err != nil || c.AccessKeyID != "AKID0001" {
		t.Fatalf("after a failed background refresh: %v, %v", c.AccessKeyID, err)
	}
	s.clk.Set(t0.Add(time.Hour - 30*time.Second)) // inside mandatory; the backoff timer has fired too
	c, err := r.Retrieve(context.Background())
	// Call 2 failed; call 3 is the one refresh the mandatory caller waited for.
	if err != nil || c.AccessKeyID != "AKID0003" {
		t.Fatalf("inside the mandatory window: %v, %v; want new credentials from one refresh", c.AccessKeyID, err)
	}
	if n := s.calls.Load(); n != 3 {
		t.Fatalf("%d calls, want 3", n)
	}
}

// TestExpiredNeverReturned: when the source fails and the credentials expire, callers
// get an error naming the role, the source and the cause.
func TestExpiredNeverReturned(t *testing.T) {
	s := newSource(time.Hour)
	r, _ := primedRole(t, s)
	s.failNext(shared.Permanent("AccessDenied", "not allowed to assume the role"))
	s.clk.Advance(2 * time.Hour)
	_, err := r.Retrieve(context.Background())
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *cache.Error", err)
	}
	for _, want := range []string{`role "analytics"`, `source "test"`, "AccessDenied", "not allowed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := r.Credentials(context.Background()); err == nil {
		t.Fatal("Credentials returned expired credentials")
	}
}

// TestPermanentErrorNoStorm: a non-retryable failure is cached for the hold; 1,000
// callers cost one call, no background retries are scheduled, and after the hold the
// next caller tries again.
func TestPermanentErrorNoStorm(t *testing.T) {
	s := newSource(time.Hour)
	s.failNext(shared.Permanent("AccessDenied", "no"), shared.Permanent("AccessDenied", "no"))
	r, _ := newRole(t, s)
	for range 1000 {
		if _, err := r.Retrieve(context.Background()); err == nil {
			t.Fatal("Retrieve succeeded on a failing source")
		}
	}
	if n := s.calls.Load(); n != 1 {
		t.Fatalf("%d calls to the source, want 1", n)
	}
	if p := s.clk.Pending(); len(p) != 0 {
		t.Fatalf("background retries scheduled after a permanent error: %v", p)
	}
	_, err := r.Retrieve(context.Background())
	var ce *Error
	if !errors.As(err, &ce) || ce.RetryIn != DefaultPermanentHold {
		t.Fatalf("err = %v, want a cache.Error with RetryIn %v", err, DefaultPermanentHold)
	}
	s.clk.Advance(DefaultPermanentHold)
	if _, err := r.Retrieve(context.Background()); err == nil {
		t.Fatal("second scripted failure expected")
	}
	s.clk.Advance(DefaultPermanentHold)
	if c, err := r.Retrieve(context.Background()); err != nil || c.AccessKeyID != "AKID0003" {
		t.Fatalf("after the hold: %v, %v", c.AccessKeyID, err)
	}
	if n := s.calls.Load(); n != 3 {
		t.Fatalf("%d calls, want 3", n)
	}
}

// TestRetryableBackoff: retryable failures back off exponentially in the background
// and the role heals by itself; callers in between cost no calls.
func TestRetryableBackoff(t *testing.T) {
	s := newSource(time.Hour)
	outage := shared.Retryable("ServiceUnavailable", "STS is down")
	s.failNext(outage, outage, outage, outage)
	r, events := newRole(t, s)
	if _, err := r.Retrieve(context.Background()); err == nil {
		t.Fatal("want an error during the outage")
	}
	recv(t, events, "failure 1")
	// Rand is 0.5: each wait is 3/4 of the step: 0.75s, 1.5s, 3s, 6s.
	for i, step := range []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second} {
		p := s.clk.Pending()
		if len(p) != 1 || p[0].Sub(s.clk.Now()) != step {
			t.Fatalf("after failure %d: pending %v, want one retry in %v", i+1, p, step)
		}
		for range 100 {
			if _, err := r.Retrieve(context.Background()); err == nil && i < 3 {
				t.Fatalf("Retrieve succeeded during the outage")
			}
		}
		s.clk.Advance(step)
		ev := recv(t, events, "background retry")
		if (i < 3) != (ev.Err != nil) {
			t.Fatalf("retry %d: err %v", i+1, ev.Err)
		}
	}
	if n := s.calls.Load(); n != 5 {
		t.Fatalf("%d calls to the source, want 5 (1 + 4 background retries)", n)
	}
	if c, err := r.Retrieve(context.Background()); err != nil || c.AccessKeyID != "AKID0005" {
		t.Fatalf("after recovery: %v, %v", c.AccessKeyID, err)
	}
	if st := r.Status(); st.LastError != nil || st.Failures != 0 || st.Refreshes != 1 {
		t.Fatalf("status after recovery: %+v", st)
	}
}

// TestCallerCancelDoesNotKillRefresh: a caller that gives up leaves the shared refresh
// running for the others.
func TestCallerCancelDoesNotKillRefresh(t *testing.T) {
	s := newSource(time.Hour)
	s.gate = make(chan struct{})
	s.started = make(chan struct{}, 1)
	r, events := newRole(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := r.Retrieve(ctx); errc <- err }()
	recv(t, s.started, "refresh to start")
	cancel()
	if err := recv(t, errc, "cancelled caller"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	close(s.gate)
	if ev := recv(t, events, "refresh"); ev.Err != nil {
		t.Fatalf("the shared refresh failed: %v", ev.Err)
	}
	if c, err := r.Retrieve(context.Background()); err != nil || c.AccessKeyID != "AKID0001" {
		t.Fatalf("%v, %v", c.AccessKeyID, err)
	}
}

func TestInvalidAnswersRejected(t *testing.T) {
	for name, bad := range map[string]shared.Credentials{
		"empty key":    {SecretAccessKey: "s", Expires: t0.Add(time.Hour)},
		"empty secret": {AccessKeyID: "AKID", Expires: t0.Add(time.Hour)},
		"expired":      {AccessKeyID: "AKID", SecretAccessKey: "s", Expires: t0.Add(-time.Second)},
	} {
		t.Run(name, func(t *testing.T) {
			clk := clock.NewFake(t0)
			r := New(func(context.Context, *shared.Credentials) (shared.Credentials, error) { return bad, nil },
				Options{Name: "r", Source: "broken", Clock: clk})
			defer r.Close()
			_, err := r.Retrieve(context.Background())
			if err == nil || !strings.Contains(err.Error(), "InvalidResponse") || !strings.Contains(err.Error(), `source "broken"`) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestNonExpiringCredentials(t *testing.T) {
	clk := clock.NewFake(t0)
	r := New(func(context.Context, *shared.Credentials) (shared.Credentials, error) {
		return shared.Credentials{AccessKeyID: "AKID", SecretAccessKey: "s"}, nil
	}, Options{Name: "r", Source: "static", Clock: clk})
	defer r.Close()
	c, err := r.Retrieve(context.Background())
	if err != nil || c.CanExpire {
		t.Fatalf("%+v, %v", c, err)
	}
	if p := clk.Pending(); len(p) != 0 {
		t.Fatalf("non-expiring credentials scheduled a refresh: %v", p)
	}
}

func TestWindows(t *testing.T) {
	for _, tc := range []struct {
		life, adv, mand   time.Duration
		explicit          bool
		wantAdv, wantMand time.Duration
	}{
		{time.Hour, 5 * time.Minute, time.Minute, false, 5 * time.Minute, time.Minute},
		{15 * time.Minute, 5 * time.Minute, time.Minute, false, 5 * time.Minute, time.Minute},
		{8 * time.Minute, 5 * time.Minute, time.Minute, false, 4 * time.Minute, time.Minute},
		{3 * time.Second, 5 * time.Minute, time.Minute, false, 1500 * time.Millisecond, 750 * time.Millisecond},
		{time.Hour, 10 * time.Minute, 9 * time.Minute, true, 10 * time.Minute, 9 * time.Minute},
		// An explicit window that fits the lifetime is kept, even past half of it.
		{15 * time.Minute, 14*time.Minute + 55*time.Second, 14*time.Minute + 45*time.Second, true, 14*time.Minute + 55*time.Second, 14*time.Minute + 45*time.Second},
		// One that does not fit is fitted like the default.
		{10 * time.Minute, 20 * time.Minute, time.Minute, true, 5 * time.Minute, time.Minute},
	} {
		a, m := Windows(tc.life, tc.adv, tc.mand, tc.explicit)
		if a != tc.wantAdv || m != tc.wantMand {
			t.Errorf("Windows(%v, %v, %v, %v) = %v, %v; want %v, %v", tc.life, tc.adv, tc.mand, tc.explicit, a, m, tc.wantAdv, tc.wantMand)
		}
	}
}

// TestJitterSpread: the background refresh moves by at most ±40% of the advisory
// window, and never by more than half the gap to the mandatory window.
func TestJitterSpread(t *testing.T) {
	for _, rnd := range []float64{0, 0.25, 0.999999} {
		s := newSource(time.Hour)
		r := New(s.fn, Options{Name: "r", Source: "s", Clock: s.clk, Rand: func() float64 { return rnd }})
		if _, err := r.Retrieve(context.Background()); err != nil {
			t.Fatal(err)
		}
		st := r.Status()
		base := t0.Add(time.Hour - DefaultAdvisory)
		if d := st.NextRefresh.Sub(base); d < -2*time.Minute || d > 2*time.Minute {
			t.Errorf("rand %v: next refresh %v from the advisory point, want within ±2m", rnd, d)
		}
		if rnd == 0 && st.NextRefresh.Sub(base) != -2*time.Minute {
			t.Errorf("rand 0: next refresh %v from the advisory point, want the full -2m", st.NextRefresh.Sub(base))
		}
		r.Close()
	}
}

// TestJitterClamp: where ±Jitter of the advisory window reaches past half the gap
// between the advisory and mandatory windows, the background refresh is clamped to
// that half: never later than halfway to the mandatory window (where callers would
// wait), never earlier by more than the same. Both windows here are ones the clamp
// changes: explicit advisory 5m with mandatory 4m (±2m of jitter against a 30s
// clamp), and the defaults on 8-minute credentials (advisory halved to 4m: ±96s of
// jitter against a 90s clamp).
func TestJitterClamp(t *testing.T) {
	cases := []struct {
		name                  string
		life                  time.Duration
		advisory, mandatory   time.Duration
		wantAdvisory, wantGap time.Duration
	}{
		{"explicit 5m/4m", time.Hour, 5 * time.Minute, 4 * time.Minute, 5 * time.Minute, time.Minute},
		{"defaults on 8m credentials", 8 * time.Minute, 0, 0, 4 * time.Minute, 3 * time.Minute},
	}
	for _, tc := range cases {
		for _, rnd := range []float64{0, 0.5, 0.999999} {
			s := newSource(tc.life)
			r := New(s.fn, Options{Name: "r", Source: "s", Clock: s.clk, Rand: func() float64 { return rnd },
				Advisory: tc.advisory, Mandatory: tc.mandatory})
			if _, err := r.Retrieve(context.Background()); err != nil {
				t.Fatal(err)
			}
			expires := t0.Add(tc.life)
			base := expires.Add(-tc.wantAdvisory)
			half := tc.wantGap / 2
			if raw := time.Duration(DefaultJitter * float64(tc.wantAdvisory)); raw <= half {
				t.Fatalf("%s: jitter %v is within the clamp %v: the case does not test it", tc.name, raw, half)
			}
			want := map[float64]time.Time{0: base.Add(-half), 0.5: base, 0.999999: base.Add(half)}[rnd]
			got := r.Status().NextRefresh
			if !got.Equal(want) {
				t.Errorf("%s, rand %v: next refresh %v before expiry, want %v (clamped to half the %v gap)",
					tc.name, rnd, expires.Sub(got), expires.Sub(want), tc.wantGap)
			}
			if mandatoryAt := expires.Add(-(tc.wantAdvisory - tc.wantGap)); !got.Before(mandatoryAt) {
				t.Errorf("%s, rand %v: the background refresh at %v before expiry is inside the mandatory window", tc.name, rnd, expires.Sub(got))
			}
			r.Close()
		}
	}
}

func TestRetrieveHotPathAllocs(t *testing.T) {
	s := newSource(time.Hour)
	r, _ := newRole(t, s)
	ctx := context.Background()
	if _, err := r.Retrieve(ctx); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(1000, func() { _, _ = r.Retrieve(ctx) }); n != 0 {
		t.Fatalf("Retrieve on valid credentials allocates %v times per call, want 0", n)
	}
}

func TestForcedRefreshAndClose(t *testing.T) {
	s := newSource(time.Hour)
	r, _ := newRole(t, s)
	ctx := context.Background()
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if c, _ := r.Retrieve(ctx); c.AccessKeyID != "AKID0002" {
		t.Fatalf("after two forced refreshes got %s", c.AccessKeyID)
	}
	r.Close()
	if _, err := r.Retrieve(ctx); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("Retrieve after Close: %v", err)
	}
	if err := r.Refresh(ctx); err == nil {
		t.Fatal("Refresh after Close succeeded")
	}
	if p := s.clk.Pending(); len(p) != 0 {
		t.Fatalf("timers left after Close: %v", p)
	}
}

// TestMandatoryWindowStaticStability: inside the mandatory window a failed refresh
// leaves callers with the still-valid credentials (one attempt for many callers while
// backing off), and only their expiry turns the failure into an error.
func TestMandatoryWindowStaticStability(t *testing.T) {
	s := newSource(time.Hour)
	r, _ := primedRole(t, s)
	r.mu.Lock()
	r.scheduleLocked(time.Time{}, s.clk.Now()) // no background refresh: go straight to mandatory
	r.mu.Unlock()
	outage := shared.Retryable("ServiceUnavailable", "STS is down")
	s.failNext(outage, outage, outage, outage, outage, outage, outage, outage)
	s.clk.Set(t0.Add(time.Hour - 30*time.Second))
	for range 1000 {
		c, err := r.Retrieve(context.Background())
		if err != nil || c.AccessKeyID != "AKID0001" {
			t.Fatalf("inside the mandatory window during an outage: %v, %v; want the valid credentials", c.AccessKeyID, err)
		}
	}
	if n := s.calls.Load(); n != 2 {
		t.Fatalf("%d calls to the source for 1,000 callers, want 2 (the first and one retry)", n)
	}
	if st := r.Status(); st.LastError == nil || st.Failures != 1 {
		t.Fatalf("the failure is not in Status: %+v", st)
	}
	s.clk.Set(t0.Add(time.Hour)) // expired
	_, err := r.Retrieve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "ServiceUnavailable") || !strings.Contains(err.Error(), `role "analytics"`) {
		t.Fatalf("after expiry: %v", err)
	}
}

// TestRealClockHotPath checks the wall-clock-only comparison Retrieve makes with the
// real clock: it serves credentials whose refresh time has not come without asking
// the source, and once that time has passed (on the wall clock) it starts a
// background refresh while still answering at once.
func TestRealClockHotPath(t *testing.T) {
	started := make(chan struct{}, 10)
	var calls atomic.Int64
	r := New(func(context.Context, *shared.Credentials) (shared.Credentials, error) {
		n := calls.Add(1)
		started <- struct{}{}
		return shared.Credentials{
			AccessKeyID: fmt.Sprintf("AKID%04d", n), SecretAccessKey: "secret", SessionToken: "token",
			Expires: time.Now().Add(time.Hour),
		}, nil
	}, Options{Name: "analytics", Source: "test", Clock: clock.Real{}, Rand: func() float64 { return 0.5 }})
	t.Cleanup(r.Close)
	ctx := context.Background()
	if _, err := r.Retrieve(ctx); err != nil {
		t.Fatal(err)
	}
	<-started
	for range 100 {
		if c, err := r.Retrieve(ctx); err != nil || c.AccessKeyID != "AKID0001" {
			t.Fatalf("Retrieve = %q, %v; want the cached AKID0001", c.AccessKeyID, err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("source called %d times for credentials valid an hour, want 1", n)
	}

	// The refresh time has passed by the wall clock: the entry's time says so in both
	// forms, as newEntry writes them when the advisory window has begun.
	old := r.cur.Load()
	e := *old
	e.refreshAt = time.Now().Add(-time.Second)
	e.refreshAtMicros = e.refreshAt.UnixMicro()
	r.cur.Store(&e)
	if c, err := r.Retrieve(ctx); err != nil || c.AccessKeyID != "AKID0001" {
		t.Fatalf("Retrieve in the advisory window = %q, %v; want the cached AKID0001 at once", c.AccessKeyID, err)
	}
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("no background refresh started after the wall clock passed the refresh time")
	}
}
