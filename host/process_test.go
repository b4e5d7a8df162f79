package host_test

import (
	"context"
	"errors"
	"github.com/brs-go/brs/internal/testutil/proctest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

const threeRoles = `
plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
}
role "b" {
  source = "test"
}
role "c" {
  source      = "test"
  source_role = "a"
}
`

// TestOneProcessPerPlugin: three roles of one source share one plugin process, and a
// chained role gets its source_role's credentials.
func TestOneProcessPerPlugin(t *testing.T) {
	h := load(t, threeRoles)
	ctx := context.Background()
	pids := map[int]bool{}
	for _, r := range []string{"a", "b", "c"} {
		c, err := h.Credentials(ctx, r)
		if err != nil {
			t.Fatalf("role %s: %v", r, err)
		}
		pids[pidOf(t, c.AccessKeyID)] = true
	}
	if len(pids) != 1 {
		t.Fatalf("roles were served by %d processes, want 1: %v", len(pids), pids)
	}
	ps := h.Plugins()
	if len(ps) != 1 || ps[0].Starts != 1 || !pids[ps[0].PID] || ps[0].ProtocolVersion != 2 ||
		ps[0].PluginName != "test" || ps[0].PluginVersion != "0.0.1-test" {
		t.Fatalf("Plugins() = %+v", ps)
	}
	a, _ := h.Credentials(ctx, "a")
	c, _ := h.Credentials(ctx, "c")
	if c.ARN != "chained-from:"+a.AccessKeyID {
		t.Fatalf("role c was not chained from a: ARN %q, a's key %q", c.ARN, a.AccessKeyID)
	}
}

// TestPluginKilled: a plugin SIGKILLed between refreshes; the cached credentials keep
// being served, the next refresh succeeds on a new process, and the other roles of
// the same plugin refresh on that new process too.
func TestPluginKilled(t *testing.T) {
	h := load(t, threeRoles)
	ctx := context.Background()
	p, _ := h.Provider("a")
	first, err := p.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pid := pidOf(t, first.AccessKeyID)
	if err := proctest.Kill(pid); err != nil {
		t.Fatal(err)
	}
	// Gone before anything else: the cached credentials below are served while the
	// plugin is dead, and the refresh cannot reach the old process.
	proctest.WaitGone(t, pid)
	for range 100 {
		c, err := p.Retrieve(ctx)
		if err != nil || c.AccessKeyID != first.AccessKeyID {
			t.Fatalf("after the kill: %v, %v; want the cached credentials", c.AccessKeyID, err)
		}
	}
	if err := h.Refresh(ctx, "a"); err != nil {
		t.Fatalf("refresh after the kill: %v", err)
	}
	second, err := p.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	newPID := pidOf(t, second.AccessKeyID)
	if newPID == pid {
		t.Fatalf("refreshed on the killed process %d", pid)
	}
	if ps := h.Plugins(); ps[0].Starts != 2 {
		t.Fatalf("plugin starts = %d, want 2", ps[0].Starts)
	}
	// The other roles use the new process too.
	if err := h.Refresh(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if b, err := h.Credentials(ctx, "b"); err != nil || pidOf(t, b.AccessKeyID) != newPID {
		t.Fatalf("role b after the kill: %v, %v; want credentials from process %d", b.AccessKeyID, err, newPID)
	}
}

// TestPluginHangs: a plugin that never answers hits the deadline; the error names the
// plugin, its process is killed, and the host recovers on a new process.
func TestPluginHangs(t *testing.T) {
	h := load(t, `
plugin "test" {
  command = "{{test}}"
}
role "stuck" {
  source = "test"
  config {
    hang = true
  }
}
role "fine" {
  source = "test"
}
`, host.WithRefreshTimeout(time.Second))
	ctx := context.Background()
	fine, err := h.Credentials(ctx, "fine")
	if err != nil {
		t.Fatal(err)
	}
	oldPID := pidOf(t, fine.AccessKeyID)
	_, err = h.Credentials(ctx, "stuck")
	if err == nil {
		t.Fatal("a hung plugin returned credentials")
	}
	for _, want := range []string{`role "stuck"`, `plugin "test"`, "did not answer in time", "killed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if !processGone(oldPID) {
		t.Fatalf("the hung plugin process %d is still there", oldPID)
	}
	if err := h.Refresh(ctx, "fine"); err != nil {
		t.Fatalf("the host did not recover: %v", err)
	}
	again, _ := h.Credentials(ctx, "fine")
	if pidOf(t, again.AccessKeyID) == oldPID {
		t.Fatal("refreshed on the killed process")
	}
	st := h.Status()
	if st[0].Role != "stuck" || st[0].LastError == nil || st[0].Failures != 1 {
		t.Fatalf("status of the stuck role: %+v", st[0])
	}
}

// TestChecksumMismatch: a plugin binary whose sha256 does not match is refused before
// it runs, with a diagnostic at the sha256 attribute; the right sum loads.
func TestChecksumMismatch(t *testing.T) {
	bin := plugintestbin.Build(t, testPluginPkg)
	src := `plugin "test" {
  command = "{{test}}"
  sha256  = "%s"
}
role "a" {
  source = "test"
}
`
	_, err := host.Load(context.Background(), writeHCL(t, strings.Replace(src, "%s", strings.Repeat("ab", 32), 1)))
	var le *host.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *host.LoadError", err)
	}
	d := le.Diagnostics[0]
	if d.Summary != "Plugin checksum mismatch" || d.Subject.Start.Line != 3 || d.Subject.Start.Column != 13 {
		t.Fatalf("diagnostic %s at %v", d.Summary, d.Subject)
	}
	sum := sha256File(t, bin)
	for _, want := range []string{`plugin "test"`, "refusing to start", sum, strings.Repeat("ab", 32)} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("detail %q lacks %q", d.Detail, want)
		}
	}
	var diags hcl.Diagnostics
	if !errors.As(err, &diags) || !diags.HasErrors() {
		t.Fatal("LoadError does not unwrap to hcl.Diagnostics")
	}
	h := load(t, strings.Replace(src, "%s", sum, 1))
	if _, err := h.Credentials(context.Background(), "a"); err != nil {
		t.Fatalf("with the right sha256: %v", err)
	}
}

// TestCloseLeavesNoProcess: after Close every plugin process has exited and been reaped.
func TestCloseLeavesNoProcess(t *testing.T) {
	h := load(t, threeRoles)
	ctx := context.Background()
	c, err := h.Credentials(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	pid := pidOf(t, c.AccessKeyID)
	if processGone(pid) {
		t.Fatal("the plugin process is not running before Close")
	}
	h.Close()
	if !processGone(pid) {
		t.Fatalf("plugin process %d still exists after Close", pid)
	}
	if _, err := h.Credentials(ctx, "a"); err == nil {
		t.Fatal("Credentials after Close succeeded")
	}
}

// TestBareCommandFoundInPluginDir: a plugin block whose command is a bare name is
// looked for like a discovered plugin, not only on $PATH.
func TestBareCommandFoundInPluginDir(t *testing.T) {
	bin := plugintestbin.Build(t, testPluginPkg)
	h := load(t, `plugin "test" {
  command = "testplugin"
}
role "a" {
  source = "test"
}`, host.WithPluginDir(filepath.Dir(bin)))
	if ps := h.Plugins(); ps[0].Path != bin {
		t.Fatalf("plugin path %q, want %q", ps[0].Path, bin)
	}
	_, err := host.Load(context.Background(), writeHCL(t, `plugin "test" {
  command = "no-such-plugin-binary"
}
role "a" {
  source = "test"
}`))
	var le *host.LoadError
	if !errors.As(err, &le) || le.Diagnostics[0].Summary != "Plugin not found" || le.Diagnostics[0].Subject.Start.Line != 2 {
		t.Fatalf("err = %v", err)
	}
}

// TestCloseIsQuiet: Close shuts plugins down gracefully; nothing is logged above info.
func TestCloseIsQuiet(t *testing.T) {
	var logs logBuffer
	h := load(t, threeRoles, host.WithLogger(newLogger(&logs)))
	if _, err := h.Credentials(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	h.Close()
	for _, bad := range []string{"[ERROR]", "[WARN]"} {
		if strings.Contains(logs.String(), bad) {
			t.Fatalf("Close logged %s:\n%s", bad, logs.String())
		}
	}
}
