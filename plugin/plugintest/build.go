package plugintest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/brs-go/brs/host"
)

// Build builds the main package in dir (relative to the test's working directory,
// "." for the package under test) with the go command, as its author would, into a
// directory removed when the test ends, and returns the binary's path. The binary is
// named brs-plugin- and the directory's name.
func Build(t testing.TB, dir string) string {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "brs-plugin-"+filepath.Base(abs))
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = abs
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("plugintest: go build in %s: %v\n%s", dir, err, out)
	}
	return bin
}

// LoadHost runs a brs host in the test with the plugin binary bin as source name:
// it writes a config file of a `plugin "NAME" { command = BIN }` block and roles (HCL
// role blocks that use source = NAME), loads it with opts, and closes the host when
// the test ends. A config the host refuses fails the test with its diagnostics.
func LoadHost(t testing.TB, name, bin, roles string, opts ...host.Option) *host.Host {
	t.Helper()
	path := filepath.Join(t.TempDir(), "brs.hcl")
	src := "plugin " + strconv.Quote(name) + " {\n  command = " + strconv.Quote(bin) + "\n}\n\n" + roles
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	h, err := host.Load(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("plugintest: loading the host: %v", err)
	}
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("plugintest: closing the host: %v", err)
		}
	})
	return h
}
