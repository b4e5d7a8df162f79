package host_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// isolateDiscovery leaves discovery nothing of the machine's: an empty $PATH, no
// $BRS_PLUGIN_DIR, $GOBIN, $GOPATH, and a fresh $HOME. The test plugin is built
// first.
func isolateDiscovery(t *testing.T) (home string) {
	t.Helper()
	plugintestbin.Build(t, testPluginPkg) // while go is on $PATH
	home = t.TempDir()
	t.Setenv("PATH", filepath.Join(home, "empty"))
	t.Setenv("BRS_PLUGIN_DIR", "")
	t.Setenv("GOBIN", "")
	t.Setenv("GOPATH", "")
	t.Setenv("HOME", home)
	return home
}

// TestDiscoverGoInstallDir checks that a source's plugin is found where go install
// puts binaries, as a program started with go run needs (its executable's directory
// is a temporary one): $GOBIN, else bin in $GOPATH's first entry, else ~/go/bin.
func TestDiscoverGoInstallDir(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func(home string) (dir string)
	}{
		{"GOBIN", func(home string) string {
			d := filepath.Join(home, "gobin")
			t.Setenv("GOBIN", d)
			t.Setenv("GOPATH", filepath.Join(home, "gopath"))
			return d
		}},
		{"GOPATH first entry", func(home string) string {
			t.Setenv("GOPATH", filepath.Join(home, "gp1")+string(os.PathListSeparator)+filepath.Join(home, "gp2"))
			return filepath.Join(home, "gp1", "bin")
		}},
		{"home go bin", func(home string) string {
			return filepath.Join(home, "go", "bin")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := isolateDiscovery(t)
			dir := tc.env(home)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			want := installPlugin(t, dir, "brs-plugin-gotest", 0o755)
			h := load(t, "role \"a\" {\n  source = \"gotest\"\n}\n")
			if ps := h.Plugins(); len(ps) != 1 || ps[0].Path != want {
				t.Fatalf("plugins %+v, want one at %s", ps, want)
			}
			if _, err := h.Credentials(context.Background(), "a"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestUnknownSourceAdvice pins the advice for a source no plugin provides, and for a
// plugin block whose command is not found: the install command that works (from a
// checkout), where go install puts the plugins, and how to point brs at another
// directory.
func TestUnknownSourceAdvice(t *testing.T) {
	home := isolateDiscovery(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	_, err = host.Load(context.Background(), writeHCL(t, "role \"a\" {\n  source = \"nope\"\n}\n"))
	var le *host.LoadError
	if !errors.As(err, &le) || len(le.Diagnostics) != 1 {
		t.Fatalf("err = %v, want one diagnostic", err)
	}
	want := fmt.Sprintf(`No plugin provides source "nope": there is no plugin "nope" block, and no brs-plugin-nope binary in %s, $PATH, %s. `+
		`For the built-in sources (sts, session, web_identity, sso, login, process, ecs, iot, saml, roles_anywhere), run "go install ./cmd/..." in a brs checkout: `+
		`it puts them in $GOBIN, else $GOPATH/bin, else ~/go/bin, where brs looks for them; `+
		`to have brs search another directory, give it with --plugin-dir or $BRS_PLUGIN_DIR (host.WithPluginDir in a program). `+
		`For another source, add a plugin "nope" block with its command.`, filepath.Dir(exe), filepath.Join(home, "go", "bin"))
	if d := le.Diagnostics[0]; d.Summary != "Unknown credential source" || d.Detail != want {
		t.Errorf("got %q: %s\nwant %s", d.Summary, d.Detail, want)
	}

	// A plugin block whose command is a bare name that is nowhere.
	_, err = host.Load(context.Background(), writeHCL(t, "plugin \"x\" {\n  command = \"brs-plugin-x\"\n}\nrole \"a\" {\n  source = \"x\"\n}\n"))
	if !errors.As(err, &le) || len(le.Diagnostics) != 1 {
		t.Fatalf("err = %v, want one diagnostic", err)
	}
	want = fmt.Sprintf(`No executable "brs-plugin-x" for plugin "x" in %s, $PATH, %s. Give command as a path, or put the executable in one of those directories; `+
		`to have brs search another directory, give it with --plugin-dir or $BRS_PLUGIN_DIR (host.WithPluginDir in a program).`, filepath.Dir(exe), filepath.Join(home, "go", "bin"))
	if d := le.Diagnostics[0]; d.Summary != "Plugin not found" || d.Detail != want || d.Subject.Start.Line != 2 {
		t.Errorf("got %q at %v: %s\nwant %s", d.Summary, d.Subject, d.Detail, want)
	}
}

// TestLoadReportsEveryRole checks that Load reports the mistakes of every role in one
// go: a syntax error, an unknown attribute, an unknown source (with the plugin block
// it resembles), and a plugin's own validation error, in the order of the file. A
// plugin block with an error is not run, not even to validate: its checksum may be
// the mistake.
func TestLoadReportsEveryRole(t *testing.T) {
	isolateDiscovery(t)
	marker := filepath.Join(t.TempDir(), "ran")
	script := filepath.Join(t.TempDir(), "plugin.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := writeHCL(t, `plugin "test" {
  command = "{{test}}"
}

plugin "pinned" {
  command = "`+script+`"
  sha256  = "not-a-checksum"
}

role "syntax" {
  source = "test"
  region =
}

role "typo" {
  source = "test"
  regoin = "x"
}

role "unknown" {
  source = "tset"
}

role "invalid" {
  source = "test"
  config {
    lifetime = "forever"
  }
}

role "pinned" {
  source = "pinned"
}

role "fine" {
  source = "test"
}
`)
	_, err := host.Load(context.Background(), path)
	var le *host.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *host.LoadError", err)
	}
	var got []string
	for _, d := range le.Diagnostics {
		got = append(got, fmt.Sprintf("%d: %s", d.Subject.Start.Line, d.Summary))
		if d.Severity != hcl.DiagError {
			t.Errorf("%s: severity %v", d.Summary, d.Severity)
		}
	}
	want := []string{"7: Invalid sha256", "12: Invalid expression", "17: Unsupported argument", "21: Unknown credential source", "27: Invalid lifetime"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := le.Diagnostics[3]; !strings.Contains(d.Detail, `Did you mean "test"?`) {
		t.Errorf("unknown source: %s", d.Detail)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the plugin with an invalid sha256 was run")
	}
}
