package plugin_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/plugin/plugintest"
)

// sdk11Revision is a revision of this repository whose host speaks contract 1.1 (SDK
// 1.1.0): it knows no duration attributes.
const sdk11Revision = "2d9714516e91050e6f281f6d380e7e2d4578f264"

// vaultPluginPkg is a test plugin with a duration attribute, timeout, between 100ms
// and 1m.
const vaultPluginPkg = "github.com/brs-go/brs/internal/testutil/vaultplugin"

// buildOldBRS builds cmd/brs from this repository at rev, as a user who has not
// upgraded brs would have it.
func buildOldBRS(t *testing.T, rev string) string {
	t.Helper()
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("this test builds brs from the repository's history and needs git and a clone of the repository: %v", err)
	}
	src := t.TempDir()
	archive := exec.Command("sh", "-c", `git -C "$1" archive --format=tar "$2" | tar -x -C "$3"`, "sh", strings.TrimSpace(string(top)), rev, src)
	if out, err := archive.CombinedOutput(); err != nil {
		t.Fatalf("git archive %s: %v\n%s (a shallow clone lacks it: fetch the history)", rev, err, out)
	}
	bin := filepath.Join(t.TempDir(), "brs")
	build := exec.Command("go", "build", "-o", bin, "./cmd/brs")
	build.Dir = src
	build.Env = append(os.Environ(), "GOFLAGS=-mod=readonly -buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building brs at %s: %v\n%s", rev, err, out)
	}
	return bin
}

// TestDurationUnderOldHost: a plugin built with this SDK declares a bounded duration;
// a host of contract 1.1, which knows no durations, takes it as a string, loads the
// plugin, and still refuses a value out of bounds at its line, because the plugin
// checks durations itself for such a host. Today's host refuses it too, by itself.
func TestDurationUnderOldHost(t *testing.T) {
	bin := plugintestbin.Build(t, vaultPluginPkg)
	role := func(timeout string) string {
		return `
role "deploy" {
  source = "vault"
  config {
    address = "http://127.0.0.1:1"
    path    = "aws/sts/deploy"
    token   = "hvs.compat-token-0123456789"
    timeout = ` + strconv.Quote(timeout) + `
  }
}
`
	}
	cfg := func(timeout string) string {
		path := filepath.Join(t.TempDir(), "brs.hcl")
		src := "plugin \"vault\" {\n  command = " + strconv.Quote(bin) + "\n}\n" + role(timeout)
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	old := buildOldBRS(t, sdk11Revision)
	run := func(path string) (string, error) {
		cmd := exec.Command(old, "-c", path, "validate")
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(cfg("2h"))
	const want = `timeout must be between 100ms and 1m; "2h" is not`
	if err == nil || !strings.Contains(out, want) || !strings.Contains(out, "brs.hcl:11:15") {
		t.Errorf("brs 1.1 validate with timeout 2h: %v\n%s\nwant %q at brs.hcl:11:15", err, out, want)
	}
	if out, err := run(cfg("30s")); err != nil {
		t.Errorf("brs 1.1 validate with timeout 30s: %v\n%s", err, out)
	}
	// A plugin whose Validate leaves the duration alone: the SDK checks it.
	path := filepath.Join(t.TempDir(), "brs.hcl")
	src := "plugin \"test\" {\n  command = " + strconv.Quote(plugintestbin.Build(t, testPluginPkg)) + "\n}\nrole \"a\" {\n  source = \"test\"\n  config {\n    pause = \"2h\"\n  }\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = run(path)
	if err == nil || !strings.Contains(out, `pause must be at most 1h; "2h" is not`) || !strings.Contains(out, "brs.hcl:7:13") {
		t.Errorf("brs 1.1 validate with pause 2h: %v\n%s\nwant the SDK's diagnostic at brs.hcl:7:13", err, out)
	}
	// Today's host, in-process.
	h := plugintest.LoadHost(t, "vault", bin, role("30s"))
	if got := h.Roles(); len(got) != 1 {
		t.Errorf("roles %v", got)
	}
}
