package host_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
)

// chaosDuration is how long TestChaos kills plugins: 5s in `go test`, longer with
// BRS_CHAOS_DURATION (`make soak` runs 30s).
func chaosDuration(t *testing.T) time.Duration {
	if v := os.Getenv("BRS_CHAOS_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("BRS_CHAOS_DURATION: %v", err)
		}
		return d
	}
	return 5 * time.Second
}

// TestChaos: 64 goroutines call Retrieve in a loop on 20 roles whose credentials live 3
// seconds (so they refresh every ~1.5s, in the background and in mandatory windows),
// while the plugin process is SIGKILLed every 500ms. No call may fail or get expired
// credentials (a refresh that a kill interrupts twice in a row fails, and the valid
// credentials are served meanwhile), every role refreshes on a new process after the
// chaos, and no process is left at the end.
func TestChaos(t *testing.T) {
	const roles, callers = 20, 64
	var src strings.Builder
	src.WriteString("plugin \"test\" {\n  command = \"{{test}}\"\n}\n")
	for i := range roles {
		fmt.Fprintf(&src, "role \"r%d\" {\n  source = \"test\"\n  config {\n    lifetime = \"3s\"\n  }\n}\n", i)
	}
	var refreshed, refreshFailed atomic.Int64
	var mu sync.Mutex
	expires := map[string]time.Time{} // the latest credentials of each role
	expiresOf := func(role string) time.Time {
		mu.Lock()
		defer mu.Unlock()
		return expires[role]
	}
	h := load(t, src.String(), host.WithOnRefresh(func(e host.RefreshEvent) {
		if e.Err != nil {
			refreshFailed.Add(1)
			return
		}
		refreshed.Add(1)
		mu.Lock()
		expires[e.Role] = e.Expires
		mu.Unlock()
	}))
	ctx, cancel := context.WithTimeout(context.Background(), chaosDuration(t))
	defer cancel()

	var calls, failures, expiredFailures atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				role := fmt.Sprintf("r%d", rand.IntN(roles))
				// The role's latest credentials as the call starts: if they are still
				// valid when an error comes back, they were valid throughout the call.
				validUntil := expiresOf(role)
				p, err := h.Provider(role)
				if err == nil {
					var c struct{ key string }
					cr, rerr := p.Retrieve(context.Background())
					c.key, err = cr.AccessKeyID, rerr
					// Retrieve reports the start of the mandatory window (0.75s before
					// the real expiry of 3s credentials) as Expires.
					if err == nil && (!time.Now().Before(cr.Expires.Add(750*time.Millisecond)) || c.key == "") {
						err = fmt.Errorf("role %s: got expired or empty credentials %s", role, c.key)
					}
				}
				calls.Add(1)
				if err != nil {
					// A violation only if credentials that existed when the call
					// began were still valid when the error came back: once they have
					// expired (here, when refreshes interrupted by kills outlast 3s
					// credentials), an error is the contract. (Credentials a refresh
					// brought after the error do not count.)
					if time.Now().Before(validUntil) {
						failures.Add(1)
						firstErr.CompareAndSwap(nil, err)
					} else {
						expiredFailures.Add(1)
					}
				}
			}
		}()
	}

	pids := map[int]bool{}
	kill := time.NewTicker(500 * time.Millisecond)
	defer kill.Stop()
	kills := 0
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-kill.C:
			if pid := pluginPID(h, "test"); pid != 0 {
				pids[pid] = true
				if syscall.Kill(pid, syscall.SIGKILL) == nil {
					kills++
				}
			}
		}
	}
	wg.Wait()
	// After the last kill, every role refreshes on a live process.
	for i := range roles {
		if err := h.Refresh(context.Background(), fmt.Sprintf("r%d", i)); err != nil {
			t.Errorf("refresh after the chaos: %v", err)
		}
	}
	if pid := pluginPID(h, "test"); pid != 0 {
		pids[pid] = true
	}
	h.Close()

	t.Logf("%d calls, %d kills, %d processes, %d refreshes (%d failed), %d calls failed after expiry",
		calls.Load(), kills, len(pids), refreshed.Load(), refreshFailed.Load(), expiredFailures.Load())
	if n := failures.Load(); n != 0 {
		t.Errorf("%d of %d Retrieve calls failed while valid credentials existed; first: %v", n, calls.Load(), firstErr.Load())
	}
	// At least one kill per 2s (a tick finds no process while one is starting) and a
	// refresh per role per 2s.
	if want := chaosDuration(t) / (2 * time.Second); kills < int(want) || refreshed.Load() < int64(roles)*int64(want) {
		t.Errorf("too little chaos to prove anything: %d kills, %d refreshes", kills, refreshed.Load())
	}
	for pid := range pids {
		if !processGone(pid) {
			t.Errorf("plugin process %d is still there after Close", pid)
		}
	}
}
