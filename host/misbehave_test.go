package host_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/proctest"
)

// TestPluginStartFailures: a plugin that writes to stdout, exits at start, or is slow
// to start fails Load with a diagnostic that names it and says what to check.
func TestPluginStartFailures(t *testing.T) {
	for _, tc := range []struct{ args, want string }{
		{`["--stdout-garbage"]`, "write nothing to stdout"},
		{`["--exit-at-start"]`, "exited at start"},
		{`["--start-delay=10s"]`, "no handshake within 1s"},
	} {
		t.Run(tc.args, func(t *testing.T) {
			_, err := host.Load(context.Background(), writeHCL(t, `plugin "test" {
  command = "{{test}}"
  args    = `+tc.args+`
}
role "a" {
  source = "test"
}`), host.WithStartTimeout(time.Second))
			var le *host.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v", err)
			}
			d := le.Diagnostics[0]
			if d.Summary != "Plugin failed to start" || !strings.Contains(d.Detail, `plugin "test"`) || !strings.Contains(d.Detail, tc.want) {
				t.Fatalf("%s: %s", d.Summary, d.Detail)
			}
		})
	}
}

// TestBadAnswers: credentials with an empty key or an expiry in the past are refused
// with an error naming the role and source; other roles are served meanwhile.
func TestBadAnswers(t *testing.T) {
	h := load(t, `plugin "test" {
  command = "{{test}}"
}
role "empty" {
  source = "test"
  config {
    empty_key = true
  }
}
role "stale" {
  source = "test"
  config {
    expired = true
  }
}
role "fine" {
  source = "test"
}`)
	ctx := context.Background()
	for role, want := range map[string]string{"empty": "empty access key", "stale": "expired at"} {
		_, err := h.Credentials(ctx, role)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `role "`+role+`" (source "test")`) {
			t.Errorf("role %s: err = %v", role, err)
		}
	}
	if _, err := h.Credentials(ctx, "fine"); err != nil {
		t.Fatal(err)
	}
}

// TestRestartFailureIsolated: when a crashed plugin cannot be started again (it exits at
// start, writes garbage, or hangs in its handshake), refreshes of its roles fail with
// an error naming it, roles of other plugins are unaffected, and it recovers once it
// starts properly again.
func TestRestartFailureIsolated(t *testing.T) {
	mode := filepath.Join(t.TempDir(), "mode")
	if err := os.WriteFile(mode, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h := load(t, `plugin "flaky" {
  command = "{{test}}"
  args    = ["--start-mode-file", "`+mode+`"]
}
plugin "steady" {
  command = "{{test}}"
}
role "a" {
  source = "flaky"
}
role "b" {
  source = "steady"
}`, host.WithStartTimeout(time.Second))
	ctx := context.Background()
	a, err := h.Credentials(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct{ mode, want string }{
		{"exit", "exited at start"},
		{"garbage", "write nothing to stdout"},
		{"slow", "no handshake within 1s"},
	} {
		if err := os.WriteFile(mode, []byte(m.mode), 0o600); err != nil {
			t.Fatal(err)
		}
		if pid := pluginPID(h, "flaky"); pid != 0 {
			_ = proctest.Kill(pid)
		}
		err := h.Refresh(ctx, "a")
		if err == nil || !strings.Contains(err.Error(), `plugin "flaky"`) || !strings.Contains(err.Error(), m.want) {
			t.Fatalf("mode %s: err = %v", m.mode, err)
		}
		if c, err := h.Credentials(ctx, "a"); err != nil || c.AccessKeyID != a.AccessKeyID {
			t.Fatalf("mode %s: the valid credentials of role a were not kept: %v, %v", m.mode, c.AccessKeyID, err)
		}
		if err := h.Refresh(ctx, "b"); err != nil {
			t.Fatalf("mode %s: another plugin's role failed: %v", m.mode, err)
		}
	}
	if err := os.WriteFile(mode, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := h.Refresh(ctx, "a"); err != nil {
		t.Fatalf("no recovery: %v", err)
	}
}

func pluginPID(h *host.Host, name string) int {
	for _, p := range h.Plugins() {
		if p.Name == name {
			return p.PID
		}
	}
	return 0
}

// grandchildPIDFile returns a path for the test plugin to write its grandchild's PID
// to, and kills that process, if still there, when the test ends.
func grandchildPIDFile(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "grandchild.pid")
	t.Cleanup(func() {
		if b, err := os.ReadFile(f); err == nil {
			var pid int
			if _, err := fmt.Sscan(string(b), &pid); err == nil && pid > 0 {
				_ = proctest.Kill(pid)
			}
		}
	})
	return f
}

// returns runs fn and waits until it returns. It sets no time limit of its own: the
// test plugin's grandchild holds the plugin's stdout and stderr until it is killed, so
// a call that waits for that output to close never returns, whatever the load on the
// machine, and a call that ends by its own timeout returns however slowly the machine
// runs it. So that such a hang fails with the name of the call rather than as the test
// binary's panic, the wait gives up a tenth of the time before the binary's -timeout.
// What proves the call ended by its timeout is the error it returns, which each test
// checks.
func returns(t *testing.T, what string, fn func()) time.Duration {
	t.Helper()
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	var giveUp <-chan time.Time
	if d, ok := t.Deadline(); ok {
		timer := time.NewTimer(time.Until(d) * 9 / 10)
		defer timer.Stop()
		giveUp = timer.C
	}
	select {
	case <-done:
	case <-giveUp:
		t.Fatalf("%s has not returned after %v: it waits for the output of a process that holds it until killed", what, time.Since(start).Round(time.Second))
	}
	return time.Since(start)
}

// TestStartNotHeldByOutput: a plugin that never completes its handshake while a
// process it started holds its stdout and stderr, or that writes an endless line to
// stdout, fails Load at the start timeout; the helper process is killed with it.
func TestStartNotHeldByOutput(t *testing.T) {
	for _, tc := range []struct {
		name, args, want string
		grandchild       bool
	}{
		{"grandchild", `["--grandchild-pid-file", "%s", "--start-delay=1h"]`, "no handshake within 1s", true},
		{"endless-line", `["--stdout-endless"]`, `wrote "xxxxxxxx`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pidFile := grandchildPIDFile(t)
			cfg := writeHCL(t, `plugin "test" {
  command = "{{test}}"
  args    = `+strings.Replace(tc.args, "%s", pidFile, 1)+`
}
role "a" {
  source = "test"
}`)
			var err error
			took := returns(t, "Load", func() {
				_, err = host.Load(context.Background(), cfg, host.WithStartTimeout(time.Second))
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load after %v: %v", took, err)
			}
			t.Logf("Load failed after %v", took)
			if tc.grandchild {
				proctest.WaitGone(t, proctest.ReadPID(t, pidFile))
			}
		})
	}
}

// TestRefreshTimeoutNotHeldByOutput: a plugin that starts a process holding its stdout
// and stderr and then hangs in Refresh fails the refresh at the refresh timeout, and
// the process it started is killed with it.
func TestRefreshTimeoutNotHeldByOutput(t *testing.T) {
	pidFile := grandchildPIDFile(t)
	h := load(t, `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  config {
    hang                = true
    grandchild_pid_file = "`+pidFile+`"
  }
}`, host.WithRefreshTimeout(time.Second))
	var err error
	took := returns(t, "Credentials", func() {
		_, err = h.Credentials(context.Background(), "a")
	})
	if err == nil || !strings.Contains(err.Error(), "did not answer in time") {
		t.Fatalf("Credentials after %v: %v", took, err)
	}
	t.Logf("the refresh failed after %v", took)
	proctest.WaitGone(t, proctest.ReadPID(t, pidFile))
}

// TestCloseNotHeldByOutput: Close returns promptly although the plugin left a process
// behind that holds its stdout and stderr, and that process is killed with the
// plugin's process group.
func TestCloseNotHeldByOutput(t *testing.T) {
	pidFile := grandchildPIDFile(t)
	h := load(t, `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  config {
    grandchild_pid_file = "`+pidFile+`"
  }
}`)
	c, err := h.Credentials(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	// The plugin ran from its open binary; the processes it runs do not inherit it.
	gc := proctest.ReadPID(t, pidFile)
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", gc))
	for _, fd := range fds {
		if target, _ := os.Readlink(fd); target == h.Plugins()[0].Path {
			t.Errorf("the plugin's child inherited the plugin binary as %s", fd)
		}
	}
	took := returns(t, "Close", func() { h.Close() })
	t.Logf("Close took %v", took)
	proctest.WaitGone(t, pidOf(t, c.AccessKeyID))
	proctest.WaitGone(t, proctest.ReadPID(t, pidFile))
}
