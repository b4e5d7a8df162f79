package host_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/stsproxy"
	"github.com/brs-go/brs/shared"
)

// onClock restates the expiry of a source's credentials on the host's fake clock: the
// same remaining lifetime, counted from the fake now. Without it, credentials that
// MinIO issues after the fake clock has been moved ahead look expired to the host.
type onClock struct {
	shared.Refresher
	clk *clock.Fake
}

func (o onClock) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	resp, err := o.Refresher.Refresh(ctx, req)
	if err == nil {
		resp.Credentials.Expires = o.clk.Now().Add(time.Until(resp.Credentials.Expires))
	}
	return resp, err
}

// nextEvent returns the next refresh event, failing the test if none comes in 30s.
func nextEvent(t *testing.T, events <-chan host.RefreshEvent) host.RefreshEvent {
	t.Helper()
	select {
	case e := <-events:
		return e
	case <-time.After(30 * time.Second):
		t.Fatal("no refresh event within 30s")
		return host.RefreshEvent{}
	}
}

// TestSTSOutage: MinIO stops mid-run. The host's clock is moved through the life of the
// credentials (MinIO still checks them on the real clock, on which they stay valid):
// the valid credentials keep being served through the advisory and mandatory windows;
// after they expire, Retrieve fails with an error naming the role, the source and the
// cause; the number of AssumeRole requests sent to STS (counted at a proxy in front of
// MinIO, SDK retries included) stays bounded by the backoff, not by the number of
// Retrieve calls; and when MinIO is back the role heals by itself.
func TestSTSOutage(t *testing.T) {
	srv := minioEnv(t)
	front := stsproxy.Start(t, srv.Endpoint)
	start := time.Now()
	clk := clock.NewFake(start)
	var attempts, failures atomic.Int64
	events := make(chan host.RefreshEvent, 100)
	h := load(t, fmt.Sprintf(`role "etl" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = %q
  config {
    role_arn = "arn:aws:iam::123456789012:role/etl"
    duration = "15m"
  }
}`, front.URL), host.WithRefresher("sts", onClock{sts.New(), clk}), host.WithClock(clk),
		host.WithOnRefresh(func(e host.RefreshEvent) {
			attempts.Add(1)
			if e.Err != nil {
				failures.Add(1)
			}
			events <- e
		}))
	ctx := context.Background()
	p, _ := h.Provider("etl")
	first, err := p.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nextEvent(t, events)
	expires := h.Status()[0].Expires
	if n := front.Count("AssumeRole"); n != 1 {
		t.Fatalf("MinIO received %d AssumeRole requests for the first credentials, want 1", n)
	}

	srv.Stop()
	burst := func(phase string, wantOK bool) {
		t.Helper()
		for range 1000 {
			c, err := p.Retrieve(ctx)
			if wantOK && (err != nil || c.AccessKeyID != first.AccessKeyID) {
				t.Fatalf("%s: %v, %v; want the cached credentials", phase, c.AccessKeyID, err)
			}
			if !wantOK && err == nil {
				t.Fatalf("%s: Retrieve returned expired credentials", phase)
			}
		}
	}
	// Advisory window: the background refresh fails; callers see nothing.
	clk.Set(h.Status()[0].NextRefresh)
	if e := nextEvent(t, events); e.Err == nil {
		t.Fatal("a refresh succeeded with MinIO stopped")
	}
	burst("advisory window", true)
	// Mandatory window: callers wait for one refresh, which fails; they keep the
	// still-valid credentials.
	clk.Set(expires.Add(-30 * time.Second))
	burst("mandatory window", true)
	// Expired: an error that says whose, from where, and why.
	clk.Set(expires.Add(time.Second))
	_, err = p.Retrieve(ctx)
	if err == nil {
		t.Fatal("expired credentials were returned")
	}
	for _, want := range []string{`role "etl"`, `source "sts"`, "could not reach STS"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	burst("expired", false)
	// Each refresh attempt is at most the SDK's two tries (awserr.Retryer).
	if n, sent := attempts.Load(), front.Count("AssumeRole")-1; n > 8 || sent > 2*(n-1) {
		t.Fatalf("%d refresh attempts and %d AssumeRole requests sent for 3,000+ Retrieve calls during the outage; want a handful, two per attempt at most", n, sent)
	}
	st := h.Status()[0]
	if st.LastError == nil || st.Failures == 0 || st.NextRefresh.IsZero() {
		t.Fatalf("status during the outage: %+v", st)
	}

	// MinIO comes back; the scheduled retry heals the role without any caller.
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	for {
		st := h.Status()[0]
		clk.Set(st.NextRefresh)
		e := nextEvent(t, events)
		if e.Err == nil {
			break
		}
		if attempts.Load() > 20 {
			t.Fatalf("no recovery after %d attempts: %v", attempts.Load(), e.Err)
		}
	}
	c, err := p.Retrieve(ctx)
	if err != nil || c.AccessKeyID == first.AccessKeyID {
		t.Fatalf("after recovery: %v, %v", c.AccessKeyID, err)
	}
	t.Logf("%d attempts, %d failed, over %v of host time", attempts.Load(), failures.Load(), clk.Now().Sub(start).Round(time.Second))
}

// TestNonRecoverableNoStorm: a real AccessDenied from MinIO (a wrong secret key in the
// plugin's default chain) costs one AssumeRole for 1,000 callers, counted where MinIO
// receives them (a proxy in front of it: neither the SDK nor the host may retry a
// permanent error), schedules no background retries, and is reported in Status and in
// the error.
func TestNonRecoverableNoStorm(t *testing.T) {
	srv := minioEnv(t)
	front := stsproxy.Start(t, srv.Endpoint)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret-key")
	bin := plugintestbin.Build(t, stsPluginPkg)
	var attempts atomic.Int64
	h := load(t, fmt.Sprintf(`role "denied" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = %q
  config {
    role_arn = "arn:aws:iam::123456789012:role/denied"
  }
}`, front.URL), host.WithPluginDir(filepath.Dir(bin)), host.WithOnRefresh(func(host.RefreshEvent) { attempts.Add(1) }))
	p, _ := h.Provider("denied")
	var last error
	for range 1000 {
		if _, last = p.Retrieve(context.Background()); last == nil {
			t.Fatal("a wrong secret key got credentials")
		}
	}
	if n := front.Count("AssumeRole"); n != 1 {
		t.Fatalf("MinIO received %d AssumeRole requests for 1,000 callers, want 1", n)
	}
	if n := attempts.Load(); n != 1 {
		t.Fatalf("%d refresh attempts for 1,000 callers, want 1", n)
	}
	if !strings.Contains(last.Error(), "AccessDenied") || strings.Contains(last.Error(), "not-the-secret-key") {
		t.Fatalf("error %q", last)
	}
	if st := h.Status()[0]; st.LastError == nil || st.Failures != 1 || !st.NextRefresh.IsZero() {
		t.Fatalf("status %+v: want one failure and no scheduled retry", st)
	}
}
