// Package cache holds one role's credentials and keeps them fresh: a lock-free,
// allocation-free read path for valid credentials, a background refresh ahead of
// expiry, one coalesced refresh for callers that must wait, and backoff that keeps
// serving what is still valid when a source fails.
//
// Timeline of one set of credentials, from when they were obtained to when they
// expire:
//
//	obtained ........ refreshAt ........ mandatoryAt ........ expires
//	   fresh: returned    advisory: returned,     mandatory: callers wait
//	   as they are        refresh in background   for one refresh
//
// refreshAt is expires − advisory ± jitter; mandatoryAt is expires − mandatory.
package cache

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/shared"
)

// Defaults of Options.
const (
	// DefaultAdvisory matches botocore's advisory refresh window.
	DefaultAdvisory = 5 * time.Minute
	// DefaultMandatory matches botocore's mandatory refresh window.
	DefaultMandatory = time.Minute
	// DefaultTimeout bounds one refresh. STS answers in milliseconds; 30s leaves room
	// for SDK retries inside the source without letting a hung plugin stall callers.
	DefaultTimeout = 30 * time.Second
	// DefaultBackoffBase and DefaultBackoffMax bound the exponential backoff after a
	// retryable failure: 1s, 2s, 4s … up to 5 minutes, each with jitter.
	DefaultBackoffBase = time.Second
	DefaultBackoffMax  = 5 * time.Minute
	// DefaultPermanentHold is how long a non-retryable error is returned from the cache
	// before the source is asked again, so a bad role costs one call a minute, not one
	// per request.
	DefaultPermanentHold = time.Minute
	// DefaultJitter is the fraction of the advisory window by which a background
	// refresh is moved earlier or later at random (never by more than half the gap to
	// the mandatory window), so that many roles loaded together do not refresh in the
	// same second: with the default windows, ±2 minutes, which spreads 1,000 roles to
	// about 4 a second.
	DefaultJitter = 0.4
)

// RefreshFunc fetches new credentials. prev is the credentials being replaced, or nil.
type RefreshFunc func(ctx context.Context, prev *shared.Credentials) (shared.Credentials, error)

// Event describes one finished refresh attempt.
type Event struct {
	Role string
	// Background is true for refreshes the scheduler started ahead of expiry.
	Background bool
	// AccessKeyID and Expires describe the new credentials; empty on failure.
	AccessKeyID string
	Expires     time.Time
	// Err is the failure, or nil.
	Err error
	// Took is how long the refresh took.
	Took time.Duration
}

// Options configures a Role. Zero values mean the defaults above.
type Options struct {
	// Name and Source name the role and its source in errors.
	Name, Source string
	// Advisory and Mandatory are the refresh windows before expiry; zero means the
	// default (see Windows for how both are fitted to short-lived credentials).
	Advisory, Mandatory time.Duration
	// Timeout bounds each refresh.
	Timeout                 time.Duration
	BackoffBase, BackoffMax time.Duration
	PermanentHold           time.Duration
	Jitter                  float64
	Clock                   clock.Clock
	// Rand returns a number in [0, 1); rand.Float64 by default.
	Rand func() float64
	// OnRefresh, if set, is called after every refresh attempt, outside any lock and
	// before the callers waiting for that refresh get its result. It must not block.
	OnRefresh func(Event)
	// RetrieveError, if set, maps the errors Retrieve returns, so that the Role can be
	// handed out as an aws.CredentialsProvider with its owner's error types, without a
	// wrapper on the cached path (which returns no error and never calls it).
	RetrieveError func(error) error
	// CanAnswer, if set, reports whether a caller with ctx can remedy err, the
	// failure of the last refresh (a person at its terminal can answer the prompt
	// err carries): such a caller refreshes at once, during the hold or backoff
	// after err, and once more if the refresh it joined, another caller's,
	// failed with an err it can remedy.
	CanAnswer func(ctx context.Context, err error) bool
}

// entry is one immutable set of credentials with its precomputed deadlines.
type entry struct {
	creds       shared.Credentials
	handed      aws.Credentials // what Retrieve returns: Expires is mandatoryAt
	obtained    time.Time
	refreshAt   time.Time
	mandatoryAt time.Time
	// refreshAtMicros is refreshAt in Unix microseconds (rounded down), for the hot
	// path's wall-clock-only comparison with the real clock.
	refreshAtMicros int64
}

// flight is one refresh in progress; done is closed when it ends.
type flight struct {
	done chan struct{}
	err  error
	// caller is the context of the call that started the refresh, nil for a
	// background one: the refresh sees its values (not its deadline).
	caller context.Context
}

// valuesOf is a refresh's context: its own deadline and cancellation, and the
// values of the call that started it (a prompter, a trace) where it has none.
type valuesOf struct {
	context.Context
	caller context.Context
}

func (c valuesOf) Value(key any) any {
	if v := c.Context.Value(key); v != nil {
		return v
	}
	return c.caller.Value(key)
}

// canAnswer reports whether a caller with ctx can remedy err (Options.CanAnswer).
func (r *Role) canAnswer(ctx context.Context, err error) bool {
	return err != nil && ctx != nil && r.opts.CanAnswer != nil && r.opts.CanAnswer(ctx, err)
}

// again reports whether a caller with ctx who saw f fail starts a refresh of its
// own: it joined f (another caller started it) and can remedy the failure.
func (r *Role) again(ctx context.Context, f *flight, mine bool) bool {
	return !mine && r.canAnswer(ctx, f.err)
}

// joinLocked returns the refresh in progress, or starts one for the caller with
// ctx, and whether it started it. r.mu must be held.
func (r *Role) joinLocked(ctx context.Context) (f *flight, mine bool) {
	mine = r.inflight == nil
	return r.startLocked(false, ctx), mine
}

// Role is the cache of one role.
type Role struct {
	opts     Options
	explicit bool // Advisory was set, not defaulted
	refresh  RefreshFunc
	clock    clock.Clock
	wall     bool // clock is clock.Real: the hot path reads clock.WallMicros

	cur        atomic.Pointer[entry]
	retryAfter atomic.Int64 // UnixNano before which the hot path starts no refresh
	busy       atomic.Bool  // a flight is in progress

	baseCtx context.Context
	cancel  context.CancelFunc

	mu        sync.Mutex
	inflight  *flight
	closed    bool
	stopTimer func() bool
	next      time.Time // when the timer fires, zero if none
	lastErr   error
	lastErrAt time.Time
	failures  int
	lastOK    time.Time
	refreshes int
}

// New returns the cache of one role. It starts nothing: the first Retrieve, Refresh or
// Prefetch fetches credentials.
func New(refresh RefreshFunc, opts Options) *Role {
	explicit := opts.Advisory > 0
	if opts.Advisory <= 0 {
		opts.Advisory = DefaultAdvisory
	}
	if opts.Mandatory <= 0 {
		opts.Mandatory = DefaultMandatory
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.BackoffBase <= 0 {
		opts.BackoffBase = DefaultBackoffBase
	}
	if opts.BackoffMax <= 0 {
		opts.BackoffMax = DefaultBackoffMax
	}
	if opts.PermanentHold <= 0 {
		opts.PermanentHold = DefaultPermanentHold
	}
	if opts.Jitter <= 0 {
		opts.Jitter = DefaultJitter
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Rand == nil {
		opts.Rand = rand.Float64
	}
	_, wall := opts.Clock.(clock.Real)
	ctx, cancel := context.WithCancel(context.Background())
	return &Role{opts: opts, explicit: explicit, refresh: refresh, clock: opts.Clock, wall: wall, baseCtx: ctx, cancel: cancel}
}

// Retrieve returns valid credentials, implementing aws.CredentialsProvider. While the
// cached credentials are outside their mandatory window it returns them at once
// without locking or allocating (starting a background refresh once inside the
// advisory window); otherwise it waits for one coalesced refresh, and if that fails
// returns the cached credentials until they expire. Expired credentials are never
// returned.
//
// The Expires it reports is the start of the mandatory window, not the real expiry, so
// that an aws.CredentialsCache wrapped around this provider asks again after the
// background refresh has replaced the credentials and before they expire.
func (r *Role) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if e := r.cur.Load(); e != nil {
		// The common case, credentials outside their advisory window, costs one
		// wall-clock read; time.Now would read the monotonic clock as well.
		if r.wall && clock.WallMicros() < e.refreshAtMicros {
			return e.handed, nil
		}
		now := r.clock.Now()
		if now.Before(e.refreshAt) {
			return e.handed, nil
		}
		if now.Before(e.mandatoryAt) {
			r.kick(now)
			return e.handed, nil
		}
	}
	e, err := r.wait(ctx)
	if err != nil {
		if r.opts.RetrieveError != nil {
			err = r.opts.RetrieveError(err)
		}
		return aws.Credentials{}, err
	}
	return e.handed, nil
}

// Credentials is Retrieve with the credentials as the source returned them, real
// expiry included.
func (r *Role) Credentials(ctx context.Context) (shared.Credentials, error) {
	if e := r.cur.Load(); e != nil {
		now := r.clock.Now()
		if now.Before(e.mandatoryAt) {
			if !now.Before(e.refreshAt) {
				r.kick(now)
			}
			return e.creds, nil
		}
	}
	e, err := r.wait(ctx)
	if err != nil {
		return shared.Credentials{}, err
	}
	return e.creds, nil
}

// Refresh fetches new credentials now, joining a refresh already in progress, even
// while backing off after a failure. A failure is returned as an *Error.
func (r *Role) Refresh(ctx context.Context) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return r.closedError()
	}
	f, mine := r.joinLocked(ctx)
	r.mu.Unlock()
	for tries := 1; ; tries++ {
		select {
		case <-f.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if tries > 1 || !r.again(ctx, f, mine) {
			break
		}
		r.mu.Lock()
		f, mine = r.joinLocked(ctx)
		r.mu.Unlock()
	}
	if f.err == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.failureLocked(r.clock.Now())
	e.Err = f.err // this refresh's failure, even if a later one already replaced lastErr
	return e
}

// kick starts a background refresh unless one is running or the role is backing off.
func (r *Role) kick(now time.Time) {
	if r.busy.Load() || now.UnixNano() < r.retryAfter.Load() {
		return
	}
	r.mu.Lock()
	if !r.closed && r.inflight == nil && now.UnixNano() >= r.retryAfter.Load() {
		r.startLocked(true, nil)
	}
	r.mu.Unlock()
}

// wait is the slow path: nothing valid outside the mandatory window is cached. It
// waits for one coalesced refresh; if that fails, or the source is backing off after a
// failure, it returns the cached credentials while they have not expired (static
// stability: a failed refresh never takes valid credentials away) and the failure once
// nothing valid is left.
func (r *Role) wait(ctx context.Context) (*entry, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, r.closedError()
	}
	now := r.clock.Now()
	if e := r.cur.Load(); e != nil && now.Before(e.mandatoryAt) {
		r.mu.Unlock() // refreshed while we took the lock
		return e, nil
	}
	if r.inflight == nil && r.lastErr != nil && now.UnixNano() < r.retryAfter.Load() && !r.canAnswer(ctx, r.lastErr) {
		// Backing off: no call to the source per request.
		e, err := r.validOrFailureLocked(now)
		r.mu.Unlock()
		return e, err
	}
	f, mine := r.joinLocked(ctx)
	r.mu.Unlock()

	for tries := 1; ; tries++ {
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: waiting for a refresh: %w", r.describe(), ctx.Err())
		}
		if tries > 1 || !r.again(ctx, f, mine) {
			break
		}
		r.mu.Lock()
		f, mine = r.joinLocked(ctx)
		r.mu.Unlock()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.validOrFailureLocked(r.clock.Now())
}

// validOrFailureLocked returns the cached credentials if they have not expired, else
// the error a caller gets when nothing valid is left.
func (r *Role) validOrFailureLocked(now time.Time) (*entry, error) {
	if e := r.cur.Load(); e != nil && (!e.creds.CanExpire() || now.Before(e.creds.Expires)) {
		return e, nil
	}
	if r.lastErr == nil {
		return nil, &Error{Role: r.opts.Name, Source: r.opts.Source, Err: errors.New("the refreshed credentials expired before they could be used")}
	}
	return nil, r.failureLocked(now)
}

// startLocked returns the refresh in progress or starts one for caller (nil for a
// background refresh). r.mu must be held.
func (r *Role) startLocked(background bool, caller context.Context) *flight {
	if r.inflight != nil {
		return r.inflight
	}
	f := &flight{done: make(chan struct{}), caller: caller}
	r.inflight = f
	r.busy.Store(true)
	var prev *shared.Credentials
	if e := r.cur.Load(); e != nil {
		c := e.creds
		prev = &c
	}
	go r.run(f, prev, background)
	return f
}

// run performs one refresh and publishes its result.
func (r *Role) run(f *flight, prev *shared.Credentials, background bool) {
	start := r.clock.Now()
	ctx, cancel := context.WithTimeout(r.baseCtx, r.opts.Timeout)
	var rctx context.Context = ctx
	if f.caller != nil {
		rctx = valuesOf{ctx, f.caller}
	}
	creds, err := r.refresh(rctx, prev)
	cancel()
	now := r.clock.Now()
	if err == nil {
		err = check(creds, now)
	}

	r.mu.Lock()
	ev := Event{Role: r.opts.Name, Background: background, Took: now.Sub(start)}
	if err == nil {
		e := r.newEntry(creds, now)
		r.cur.Store(e)
		r.lastErr, r.failures = nil, 0
		r.lastOK = now
		r.refreshes++
		r.retryAfter.Store(0)
		if creds.CanExpire() {
			r.scheduleLocked(e.refreshAt, now)
		} else {
			r.scheduleLocked(time.Time{}, now)
		}
		ev.AccessKeyID, ev.Expires = creds.AccessKeyID, creds.Expires
	} else {
		r.failures++
		r.lastErr, r.lastErrAt = err, now
		se := shared.AsError(err)
		var wait time.Duration
		if se.Retryable {
			wait = r.backoff(r.failures)
		} else {
			wait = r.opts.PermanentHold
		}
		at := now.Add(wait)
		r.retryAfter.Store(at.UnixNano())
		if se.Retryable {
			// Keep trying in the background so the role heals by itself.
			r.scheduleLocked(at, now)
		} else {
			// No background retries for a permanent failure: the next caller after
			// the hold tries once more.
			r.scheduleLocked(time.Time{}, now)
		}
		ev.Err = err
	}
	f.err = err
	r.inflight = nil
	r.busy.Store(false)
	r.mu.Unlock()

	// The event comes before the waiters are released, so whatever a caller saw, the
	// event describing it was already delivered.
	if r.opts.OnRefresh != nil {
		r.opts.OnRefresh(ev)
	}
	close(f.done)
}

// check rejects answers no caller may be given.
func check(c shared.Credentials, now time.Time) error {
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return shared.Permanent("InvalidResponse", "the source returned an empty access key id or secret access key")
	}
	if c.CanExpire() && !c.Expires.After(now) {
		return shared.Permanent("InvalidResponse", "the source returned credentials that expired at %s (now %s): check the source and the clocks",
			c.Expires.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// newEntry computes the deadlines of fresh credentials.
func (r *Role) newEntry(c shared.Credentials, now time.Time) *entry {
	e := &entry{creds: c, obtained: now}
	e.handed = aws.Credentials{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Source: "brs:" + r.opts.Source, AccountID: c.AccountID,
	}
	if !c.CanExpire() {
		far := now.Add(100 * 365 * 24 * time.Hour)
		e.refreshAt, e.mandatoryAt = far, far
		e.refreshAtMicros = far.UnixMicro()
		return e
	}
	advisory, mandatory := Windows(c.Expires.Sub(now), r.opts.Advisory, r.opts.Mandatory, r.explicit)
	jitter := time.Duration((r.opts.Rand()*2 - 1) * r.opts.Jitter * float64(advisory))
	if max := (advisory - mandatory) / 2; jitter > max {
		jitter = max
	} else if jitter < -max {
		jitter = -max
	}
	e.refreshAt = c.Expires.Add(-advisory + jitter)
	e.mandatoryAt = c.Expires.Add(-mandatory)
	e.refreshAtMicros = e.refreshAt.UnixMicro()
	e.handed.CanExpire = true
	e.handed.Expires = e.mandatoryAt
	return e
}

// Windows fits the advisory and mandatory windows to credentials that live for
// lifetime. The default advisory window becomes half the lifetime when the credentials
// live less than twice as long as it; an explicit one is kept while it is shorter than
// the lifetime, and halves the lifetime otherwise. A mandatory window that is not
// shorter than the advisory one becomes half of it.
func Windows(lifetime, advisory, mandatory time.Duration, explicit bool) (time.Duration, time.Duration) {
	if (!explicit && lifetime < 2*advisory) || advisory >= lifetime {
		advisory = lifetime / 2
	}
	if mandatory >= advisory {
		mandatory = advisory / 2
	}
	return advisory, mandatory
}

// backoff is the wait after the n-th consecutive retryable failure: exponential, capped,
// with "equal jitter" (between half and all of the step).
func (r *Role) backoff(n int) time.Duration {
	d := r.opts.BackoffBase
	for i := 1; i < n && d < r.opts.BackoffMax; i++ {
		d *= 2
	}
	if d > r.opts.BackoffMax {
		d = r.opts.BackoffMax
	}
	return d/2 + time.Duration(r.opts.Rand()*float64(d/2))
}

// scheduleLocked replaces the background timer with one at at (none if at is zero).
func (r *Role) scheduleLocked(at, now time.Time) {
	if r.stopTimer != nil {
		r.stopTimer()
		r.stopTimer = nil
	}
	r.next = at
	if at.IsZero() || r.closed {
		r.next = time.Time{}
		return
	}
	r.stopTimer = r.clock.AfterFunc(at.Sub(now), r.onTimer)
}

// onTimer starts the scheduled refresh, unless a caller got there first: a timer that
// fired just as it was replaced must not refresh twice.
func (r *Role) onTimer() {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	if r.closed || r.inflight != nil || now.UnixNano() < r.retryAfter.Load() {
		return
	}
	if e := r.cur.Load(); e != nil && now.Before(e.refreshAt) {
		return
	}
	r.startLocked(true, nil)
}

// failureLocked is the error a caller gets when nothing valid is cached.
func (r *Role) failureLocked(now time.Time) *Error {
	e := &Error{Role: r.opts.Name, Source: r.opts.Source, Err: r.lastErr, Failures: r.failures}
	if at := r.retryAfter.Load(); at > now.UnixNano() {
		e.RetryIn = time.Duration(at - now.UnixNano()).Round(time.Second)
	}
	return e
}

func (r *Role) closedError() error {
	return &Error{Role: r.opts.Name, Source: r.opts.Source, Err: errors.New("the host is closed")}
}

func (r *Role) describe() string {
	return fmt.Sprintf("role %q (source %q)", r.opts.Name, r.opts.Source)
}

// Close stops the background refresh and cancels a refresh in progress. Calls after
// Close fail.
func (r *Role) Close() {
	r.mu.Lock()
	r.closed = true
	r.scheduleLocked(time.Time{}, time.Time{})
	r.cur.Store(nil)
	r.mu.Unlock()
	r.cancel()
}

// Status is a snapshot of a role's cache.
type Status struct {
	// Credentials are the cached credentials with the secrets removed; zero if none.
	AccessKeyID, AccountID, ARN string
	// Expires is when the cached credentials expire; zero if none or never.
	Expires time.Time
	// LastRefresh is when the last successful refresh ended.
	LastRefresh time.Time
	// NextRefresh is when the next background refresh is due; zero if none is.
	NextRefresh time.Time
	// Refreshing is true while a refresh is in progress.
	Refreshing bool
	// Refreshes counts successful refreshes.
	Refreshes int
	// LastError is the last failure since the last success; LastErrorAt its time, and
	// Failures the number of consecutive failures.
	LastError   error
	LastErrorAt time.Time
	Failures    int
}

// Status returns a snapshot of the cache.
func (r *Role) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := Status{
		LastRefresh: r.lastOK, NextRefresh: r.next, Refreshing: r.inflight != nil,
		Refreshes: r.refreshes, LastError: r.lastErr, LastErrorAt: r.lastErrAt, Failures: r.failures,
	}
	if e := r.cur.Load(); e != nil {
		s.AccessKeyID, s.AccountID, s.ARN, s.Expires = e.creds.AccessKeyID, e.creds.AccountID, e.creds.ARN, e.creds.Expires
	}
	return s
}

// Error is returned when a role has no valid credentials to give.
type Error struct {
	Role, Source string
	// Err is the last cause.
	Err error
	// Failures is the number of consecutive failed refreshes.
	Failures int
	// RetryIn is how long until the source is asked again; zero if unknown.
	RetryIn time.Duration
}

// Error implements error.
func (e *Error) Error() string {
	msg := fmt.Sprintf("brs: role %q (source %q): no valid credentials: %v", e.Role, e.Source, e.Err)
	if e.RetryIn > 0 {
		msg += fmt.Sprintf(" (next attempt in %v)", e.RetryIn)
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
