//go:build unix

package host_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/go-hclog"

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

// chaosGate decides, at the start of every refresh in the plugin (its refresh_gate),
// whether the refresh goes on or the process is SIGKILLed right there, in the middle
// of it. The refreshes of each doomed role are let through once, then killed three
// times in a row (every attempt the host makes on one refresh: it fails while the
// credentials of the first are still valid), then let through. While chaos is on,
// the refreshes of the starved role are let through once and then always killed: its credentials
// expire while chaos goes on, and the callers must get errors, not them. Every other
// refresh waiting in that process dies with it and is retried on the next process.
type chaosGate struct {
	doomed  int // roles r0 … r<doomed-1>
	starved int // role r<starved>
	chaos   atomic.Bool
	kills   atomic.Int64

	mu     sync.Mutex
	starts map[string]int
	pids   map[int]bool
}

func (g *chaosGate) serve(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go g.handle(conn)
	}
}

func (g *chaosGate) handle(conn net.Conn) {
	defer conn.Close()
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return
	}
	var pid, role int
	if _, err := fmt.Sscanf(line, "%d r%d", &pid, &role); err != nil || pid <= 0 {
		return
	}
	g.mu.Lock()
	g.pids[pid] = true
	n := g.starts[fmt.Sprint(role)]
	g.starts[fmt.Sprint(role)]++
	g.mu.Unlock()
	// The doomed role's three kills come whether or not chaos is still on: they are
	// what the test is about.
	kill := (role < g.doomed && n >= 1 && n <= 3) || (g.chaos.Load() && role == g.starved && n != 0)
	if !kill {
		_, _ = conn.Write([]byte{'g'})
		return
	}
	if syscall.Kill(pid, syscall.SIGKILL) == nil {
		g.kills.Add(1)
	}
}

// TestChaos: 64 goroutines call Retrieve in a loop on 20 roles whose credentials live 3
// seconds (so they refresh every ~1.5s, in the background and in mandatory windows),
// while the plugin process is SIGKILLed in the middle of refreshes (chaosGate): some
// refreshes fail (every attempt killed), and there must be some. No call may get
// expired or empty credentials, no call may fail while credentials it could have had
// were still valid (a failed refresh keeps serving them), every role refreshes on a
// new process after the chaos, and no process is left at the end.
func TestChaos(t *testing.T) {
	const roles, callers = 20, 64
	g := &chaosGate{doomed: 1, starved: 1, starts: map[string]int{}, pids: map[int]bool{}}
	gatePath := filepath.Join(t.TempDir(), "gate.sock")
	ln, err := net.Listen("unix", gatePath)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go g.serve(ln)
	var src strings.Builder
	src.WriteString("plugin \"test\" {\n  command = \"{{test}}\"\n}\n")
	for i := range roles {
		// The doomed roles' credentials live 4.5s and are refreshed from 4s before
		// expiry (±1.6s of jitter): the background refresh starts at once or soon,
		// and its three kills end it long before expiry.
		life, windows := "3s", ""
		if i < g.doomed {
			life, windows = "4500ms", "  refresh {\n    advisory  = \"4s\"\n    mandatory = \"500ms\"\n  }\n"
		}
		fmt.Fprintf(&src, "role \"r%d\" {\n  source = \"test\"\n%s  config {\n    lifetime = %q\n    refresh_gate = %q\n  }\n}\n", i, windows, life, gatePath)
	}
	var refreshed, refreshFailed atomic.Int64
	var mu sync.Mutex
	expires := map[string]time.Time{} // the latest credentials of each role
	expiresOf := func(role string) time.Time {
		mu.Lock()
		defer mu.Unlock()
		return expires[role]
	}
	issued := map[string]time.Time{} // the real expiry of every access key id issued
	expiryOf := func(akid string) (time.Time, bool) {
		mu.Lock()
		defer mu.Unlock()
		t, ok := issued[akid]
		return t, ok
	}
	h := load(t, src.String(), host.WithLogger(hclog.NewNullLogger()), host.WithOnRefresh(func(e host.RefreshEvent) {
		if e.Err != nil {
			refreshFailed.Add(1)
			return
		}
		refreshed.Add(1)
		mu.Lock()
		expires[e.Role] = e.Expires
		issued[e.AccessKeyID] = e.Expires
		mu.Unlock()
	}))
	ctx, cancel := context.WithTimeout(context.Background(), chaosDuration(t))
	defer cancel()
	g.chaos.Store(true)

	var calls, failures, expiredFailures, expiredHanded atomic.Int64
	var firstErr, firstExpired atomic.Value
	// checkHanded counts credentials that had expired before the call that got them
	// began. A background refresh's event may come after its credentials are already
	// handed out: those are checked at the end, once every event is in.
	type handed struct {
		role, akid string
		began      time.Time
	}
	var laterMu sync.Mutex
	var later []handed
	checkHanded := func(role, akid string, began time.Time) {
		real, ok := expiryOf(akid)
		if !ok {
			laterMu.Lock()
			later = append(later, handed{role, akid, began})
			laterMu.Unlock()
			return
		}
		if !began.Before(real) {
			expiredHanded.Add(1)
			firstExpired.CompareAndSwap(nil, fmt.Sprintf("role %s: %q expired at %v, handed to a call that began %v", role, akid, real.Format("15:04:05.000"), began.Format("15:04:05.000")))
		}
	}
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
				began := time.Now()
				p, err := h.Provider(role)
				if err == nil {
					var cr aws.Credentials
					cr, err = p.Retrieve(context.Background())
					// Retrieve reports the start of the mandatory window as Expires;
					// the refresh event said the real expiry. Credentials that had
					// expired before the call began, or unknown ones, are a violation
					// whenever they happen.
					if err == nil {
						checkHanded(role, cr.AccessKeyID, began)
					}
				}
				calls.Add(1)
				if err != nil {
					// A violation only if credentials that existed when the call
					// began were still valid when the error came back: once they have
					// expired (a refresh that kills made fail, then its retry too,
					// outlasting 3s credentials), an error is the contract.
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
	<-ctx.Done()
	g.chaos.Store(false)
	wg.Wait()
	// After the chaos, every role refreshes on a live process.
	for i := range roles {
		if err := h.Refresh(context.Background(), fmt.Sprintf("r%d", i)); err != nil {
			t.Errorf("refresh after the chaos: %v", err)
		}
	}
	if pid := pluginPID(h, "test"); pid != 0 {
		g.mu.Lock()
		g.pids[pid] = true
		g.mu.Unlock()
	}
	h.Close()
	for _, c := range later {
		if _, ok := expiryOf(c.akid); !ok {
			expiredHanded.Add(1)
			firstExpired.CompareAndSwap(nil, fmt.Sprintf("role %s: %q, which no refresh event reported", c.role, c.akid))
			continue
		}
		checkHanded(c.role, c.akid, c.began)
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	t.Logf("%d calls, %d kills mid-refresh, %d processes, %d refreshes (%d failed), %d calls failed after expiry",
		calls.Load(), g.kills.Load(), len(g.pids), refreshed.Load(), refreshFailed.Load(), expiredFailures.Load())
	if n := failures.Load(); n != 0 {
		t.Errorf("%d of %d Retrieve calls failed while valid credentials existed; first: %v", n, calls.Load(), firstErr.Load())
	}
	if n := expiredHanded.Load(); n != 0 {
		t.Errorf("%d Retrieve calls got expired or empty credentials; first: %v", n, firstExpired.Load())
	}
	// Chaos enough to prove something: kills, refreshes that failed because of them,
	// and a refresh per role per 2s all the same.
	if want := chaosDuration(t) / (2 * time.Second); g.kills.Load() < int64(want) || refreshFailed.Load() == 0 || refreshed.Load() < int64(roles)*int64(want) {
		t.Errorf("too little chaos to prove anything: %d kills, %d failed refreshes, %d refreshes", g.kills.Load(), refreshFailed.Load(), refreshed.Load())
	}
	for pid := range g.pids {
		if !processGone(pid) {
			t.Errorf("plugin process %d is still there after Close", pid)
		}
	}
}
