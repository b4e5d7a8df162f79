package host_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

// TestUnknownRoleIs checks that every method that takes a role name says so with an
// error that wraps host.ErrUnknownRole and names the roles there are.
func TestUnknownRoleIs(t *testing.T) {
	h := load(t, `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
}`)
	ctx := context.Background()
	_, errRole := h.Role("nope")
	_, errProvider := h.Provider("nope")
	_, errConfig := h.AWSConfig(ctx, "nope")
	_, errCreds := h.Credentials(ctx, "nope")
	errRefresh := h.Refresh(ctx, "nope")
	for name, err := range map[string]error{
		"Role": errRole, "Provider": errProvider, "AWSConfig": errConfig, "Credentials": errCreds, "Refresh": errRefresh,
	} {
		if !errors.Is(err, host.ErrUnknownRole) {
			t.Errorf("%s: %v does not wrap ErrUnknownRole", name, err)
		}
		if err == nil || !strings.Contains(err.Error(), `no role "nope"`) || !strings.Contains(err.Error(), "(roles: a)") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := h.Role("a"); err != nil {
		t.Errorf("Role(a): %v", err)
	}
}

// TestCredentialsErrorAs fails a real plugin's refresh with a permanent error and
// checks that every way of asking for credentials returns a *host.CredentialsError
// naming the role, the source and the failures, whose cause is the plugin's
// *shared.Error with its code.
func TestCredentialsErrorAs(t *testing.T) {
	h := load(t, `plugin "test" {
  command = "{{test}}"
}
role "denied" {
  source = "test"
  config {
    fail = "AccessDenied"
  }
}`)
	ctx := context.Background()
	r, err := h.Role("denied")
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error, failures int) {
		t.Helper()
		var ce *host.CredentialsError
		if !errors.As(err, &ce) {
			t.Fatalf("%s: %T %v is not a *host.CredentialsError", what, err, err)
		}
		if ce.Role != "denied" || ce.Source != "test" || ce.Failures != failures {
			t.Errorf("%s: role %q source %q failures %d; want denied, test, %d", what, ce.Role, ce.Source, ce.Failures, failures)
		}
		var se *shared.Error
		if !errors.As(err, &se) || se.Code != "AccessDenied" || se.Retryable {
			t.Errorf("%s: cause %v, want the plugin's permanent AccessDenied", what, ce.Err)
		}
	}
	err = r.Refresh(ctx)
	check("Role.Refresh", err, 1)
	// The error is permanent: the host holds it rather than asking again per call,
	// and says when it will.
	_, err = r.Credentials(ctx)
	check("Role.Credentials", err, 1)
	if ce := (*host.CredentialsError)(nil); errors.As(err, &ce) && ce.RetryIn <= 0 {
		t.Errorf("RetryIn = %v while the failure is held, want > 0", ce.RetryIn)
	}
	_, err = h.Credentials(ctx, "denied")
	check("Host.Credentials", err, 1)
	_, err = r.Provider().Retrieve(ctx)
	check("Provider.Retrieve", err, 1)
	err = h.Refresh(ctx, "denied")
	check("Host.Refresh", err, 2)
	if st := r.Status(); st.Failures != 2 || st.LastError == nil {
		t.Errorf("status: %d failures, last error %v", st.Failures, st.LastError)
	}
}

// TestRoleHandle checks what a Role says about itself, and that its provider serves
// the credentials Credentials returns.
func TestRoleHandle(t *testing.T) {
	h := load(t, `plugin "test" {
  command = "{{test}}"
}
role "base" {
  source = "test"
}
role "app" {
  source      = "test"
  source_role = "base"
  region      = "eu-west-1"
  endpoint    = "https://sts.example.com"
}`)
	r, err := h.Role("app")
	if err != nil {
		t.Fatal(err)
	}
	if r.Name() != "app" || r.Source() != "test" || r.SourceRole() != "base" || r.Region() != "eu-west-1" || r.Endpoint() != "https://sts.example.com" {
		t.Errorf("role says %q %q %q %q %q", r.Name(), r.Source(), r.SourceRole(), r.Region(), r.Endpoint())
	}
	ctx := context.Background()
	creds, err := r.Credentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Provider().Retrieve(ctx)
	if err != nil || got.AccessKeyID != creds.AccessKeyID {
		t.Errorf("provider gave %q, %v; Credentials gave %q", got.AccessKeyID, err, creds.AccessKeyID)
	}
	if err := r.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if st := r.Status(); st.Role != "app" || st.Refreshes != 2 || st.AccessKeyID == creds.AccessKeyID {
		t.Errorf("status after Refresh: %+v", st)
	}
	cfg, err := r.AWSConfig(ctx)
	if err != nil || cfg.Region != "eu-west-1" {
		t.Fatalf("AWSConfig: region %q, %v", cfg.Region, err)
	}
	if c, err := cfg.Credentials.Retrieve(ctx); err != nil || c.AccessKeyID != r.Status().AccessKeyID {
		t.Errorf("AWSConfig's provider gave %q, %v", c.AccessKeyID, err)
	}
}

// TestLoadSource loads a configuration held in memory: its roles work, and its
// diagnostics name the file name given.
func TestLoadSource(t *testing.T) {
	bin := plugintestbin.Build(t, testPluginPkg)
	ctx := context.Background()
	src := `plugin "test" {
  command = "` + bin + `"
}
role "a" {
  source = "test"
}
`
	h, err := host.LoadSource(ctx, "embedded/brs.hcl", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, err := h.Credentials(ctx, "a"); err != nil {
		t.Fatal(err)
	}

	_, err = host.LoadSource(ctx, "embedded/bad.hcl", []byte(src+`role "b" {
  source = "test"
  config {
    nope = 1
  }
}
role "c" {
  source = "nowhere"
}
`), host.WithPluginDir(t.TempDir()))
	var le *host.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want a *LoadError", err)
	}
	var lines []int
	for _, d := range le.Diagnostics {
		if d.Subject == nil || d.Subject.Filename != "embedded/bad.hcl" {
			t.Errorf("diagnostic %q is about %v, want embedded/bad.hcl", d.Summary, d.Subject)
			continue
		}
		lines = append(lines, d.Subject.Start.Line)
	}
	// Both mistakes, in one run.
	if !slices.Equal(lines, []int{10, 14}) {
		t.Errorf("diagnostics at lines %v, want 10 and 14: %v", lines, err)
	}
}

// TestRoleNames lists a file's roles without starting their plugins: the plugin's
// command does not exist.
func TestRoleNames(t *testing.T) {
	path := writeHCL(t, `plugin "x" {
  command = "/nonexistent/brs-plugin-x"
}
role "one" {
  source = "x"
}
role "two" {
  source = "x"
}`)
	names, err := host.RoleNames(path)
	if err != nil || !slices.Equal(names, []string{"one", "two"}) {
		t.Fatalf("RoleNames = %v, %v", names, err)
	}
	names, err = host.RoleNames(filepath.Join(t.TempDir(), "missing.hcl"))
	var diags hcl.Diagnostics
	if len(names) != 0 || !errors.As(err, &diags) {
		t.Fatalf("missing file: %v, %v", names, err)
	}
}

// TestCloseReportsLingeringPlugin runs a plugin that keeps running when asked to stop:
// Close kills it, and says so; a second Close has nothing to say.
func TestCloseReportsLingeringPlugin(t *testing.T) {
	bin := plugintestbin.Build(t, testPluginPkg)
	h, err := host.Load(context.Background(), writeHCL(t, `plugin "stubborn" {
  command = "`+bin+`"
  args    = ["-linger"]
}
plugin "test" {
  command = "`+bin+`"
}
role "a" {
  source = "stubborn"
}
role "b" {
  source = "test"
}`))
	if err != nil {
		t.Fatal(err)
	}
	pid := 0
	for _, p := range h.Plugins() {
		if p.Name == "stubborn" {
			pid = p.PID
		}
	}
	if pid == 0 {
		t.Fatalf("the stubborn plugin is not running after Load: %+v", h.Plugins())
	}
	start := time.Now()
	err = h.Close()
	t.Logf("Close took %v: %v", time.Since(start).Round(time.Millisecond), err)
	if err == nil || !strings.Contains(err.Error(), `plugin "stubborn"`) || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Close = %v, want the stubborn plugin reported as killed", err)
	}
	if strings.Contains(err.Error(), `plugin "test"`) {
		t.Errorf("Close reported the plugin that stopped when asked: %v", err)
	}
	if !processGone(pid) {
		t.Errorf("plugin process %d still exists after Close", pid)
	}
	if err := h.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
}

// TestProviderRetrieveAllocatesNothing checks that the public provider keeps the
// cache's hot path free of allocations: Role.Provider and Retrieve on valid
// credentials allocate nothing.
func TestProviderRetrieveAllocatesNothing(t *testing.T) {
	h := load(t, `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
}`)
	r, err := h.Role("a")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := r.Credentials(ctx); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(1000, func() {
		if _, err := r.Provider().Retrieve(ctx); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Provider().Retrieve allocates %v times per call, want 0", n)
	}
}

// BenchmarkProviderRetrieve is Retrieve of cached credentials through the public
// provider, as an SDK client calls it.
func BenchmarkProviderRetrieve(b *testing.B) {
	h, err := host.Load(context.Background(), writeHCLB(b, `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
}`))
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	r, err := h.Role("a")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := r.Credentials(ctx); err != nil {
		b.Fatal(err)
	}
	p := r.Provider()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Retrieve(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRetireReportsLingeringPlugin reloads a file whose plugin's arguments changed:
// the new host runs a new plugin process; retiring the previous host kills the old
// one, which does not exit when asked, and says so in its error.
func TestRetireReportsLingeringPlugin(t *testing.T) {
	bin := plugintestbin.Build(t, testPluginPkg)
	src := `plugin "test" {
  command = "` + bin + `"
  args    = [%s]
}
role "a" {
  source = "test"
}`
	path := writeHCL(t, fmt.Sprintf(src, `"-linger"`))
	ctx := context.Background()
	prev, err := host.Load(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	old := prev.Plugins()[0].PID
	if old == 0 {
		t.Fatalf("the lingering plugin is not running after Load: %+v", prev.Plugins())
	}
	if err := os.WriteFile(path, []byte(fmt.Sprintf(src, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	next, retire, err := host.Reload(ctx, prev)
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	if ps := next.Plugins(); len(ps) != 1 || ps[0].PID == 0 || ps[0].PID == old {
		t.Fatalf("the new host's plugin: %+v, want a process other than %d", ps, old)
	}
	if err := retire(); err == nil || !strings.Contains(err.Error(), `plugin "test"`) || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("retire = %v, want the lingering plugin reported", err)
	}
	if !processGone(old) {
		t.Errorf("the lingering plugin %d still exists after retire", old)
	}
	if err := next.Close(); err != nil {
		t.Errorf("Close of the new host = %v, want nil", err)
	}
}
