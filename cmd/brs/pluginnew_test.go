package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPluginNew writes a new plugin module with brs plugin new and builds and vets
// it against this checkout, as an author would start.
func TestPluginNew(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "brs-plugin-vault")
	r := runBRS(t, "plugin", "-brs-dir", repo, "new", "vault", dir)
	if r.code != 0 || !strings.Contains(r.stdout, `Wrote plugin "vault" in `+dir) {
		t.Fatalf("brs plugin new: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"module example.com/brs-plugin-vault", "github.com/brs-go/brs v" + sdkVersion, "replace github.com/brs-go/brs => " + repo} {
		if !strings.Contains(string(mod), s) {
			t.Errorf("go.mod lacks %q:\n%s", s, mod)
		}
	}
	for _, args := range [][]string{{"build", "-o", filepath.Join(dir, "brs-plugin-vault"), "."}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s in the new module: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	conf := writeHCL(t, t.TempDir(), "brs.hcl", `plugin "vault" {
  command = "`+filepath.Join(dir, "brs-plugin-vault")+`"
}
`)
	// The new plugin serves its own name: brs plugins shows it.
	if err := os.WriteFile(conf, append(mustRead(t, conf), []byte("role \"a\" {\n  source = \"vault\"\n  config {\n    path = \"/nonexistent\"\n  }\n}\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runBRS(t, "-c", conf, "plugins")
	if !strings.Contains(r.stdout, "vault") || !strings.Contains(r.stdout, "1.0.0") {
		t.Errorf("brs plugins with the new plugin: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A second run into the same directory is refused.
	if r = runBRS(t, "plugin", "new", "vault", dir); r.code == 0 || !strings.Contains(r.stderr, "not empty") {
		t.Errorf("brs plugin new into a used directory: %d %s", r.code, r.stderr)
	}
}
