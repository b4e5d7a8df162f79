package host_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
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
			_ = syscall.Kill(pid, syscall.SIGKILL)
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
