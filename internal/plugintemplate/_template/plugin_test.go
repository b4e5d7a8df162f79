package main

import (
	"context"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/plugin/plugintest"
)

// writeCredentials replaces the credentials file atomically, as a writer should.
func writeCredentials(t *testing.T, path, akid string, expires time.Time) {
	t.Helper()
	doc := `{"Version": 1, "AccessKeyId": "` + akid + `", "SecretAccessKey": "secret-of-` + akid + `",
		"SessionToken": "token-of-` + akid + `", "Expiration": "` + expires.UTC().Format(time.RFC3339) + `"}`
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestWithHost runs the built plugin under the brs host: a plugin block names it, a
// role uses it, and the role's provider returns what the file holds, before and after
// the file is rewritten.
func TestWithHost(t *testing.T) {
	// plugintest builds the plugin with the go command, as its author would, and runs
	// a brs host on it: nothing under examples/plugin uses brs's internal packages,
	// tests included.
	bin := plugintest.Build(t, ".")
	creds := filepath.Join(t.TempDir(), "aws-credentials.json")
	writeCredentials(t, creds, "ASIAFIRST", time.Now().Add(time.Hour))
	h := plugintest.LoadHost(t, "file", bin, `role "sidecar" {
  source = "file"
  config {
    path    = `+strconv.Quote(creds)+`
    max_age = "1h"
  }
}
`)
	ctx := context.Background()
	if got := h.Roles(); len(got) != 1 || got[0] != "sidecar" {
		t.Fatalf("Roles = %q, want [sidecar]", got)
	}
	p, err := h.Provider("sidecar")
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Retrieve(ctx)
	if err != nil {
		t.Fatalf("Retrieve: %v", err)
	}
	if got.AccessKeyID != "ASIAFIRST" || got.SecretAccessKey != "secret-of-ASIAFIRST" || got.SessionToken != "token-of-ASIAFIRST" {
		t.Fatalf("Retrieve = %s, want the file's ASIAFIRST credentials", got.AccessKeyID)
	}

	writeCredentials(t, creds, "ASIASECOND", time.Now().Add(2*time.Hour))
	if err := h.Refresh(ctx, "sidecar"); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	got, err = p.Retrieve(ctx)
	if err != nil {
		t.Fatalf("Retrieve after Refresh: %v", err)
	}
	if got.AccessKeyID != "ASIASECOND" || got.SecretAccessKey != "secret-of-ASIASECOND" {
		t.Fatalf("after rewriting the file and Refresh, Retrieve = %s, want ASIASECOND", got.AccessKeyID)
	}

	// A file the writer broke is reported with the file's name, and the host keeps
	// serving the valid credentials it has.
	if err := os.WriteFile(creds, []byte(`{"Version": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err = h.Refresh(ctx, "sidecar")
	if err == nil || !strings.Contains(err.Error(), "IncompleteCredentialsFile") || !strings.Contains(err.Error(), creds) {
		t.Fatalf("Refresh of a broken file: %v, want IncompleteCredentialsFile naming %s", err, creds)
	}
	if got, err = p.Retrieve(ctx); err != nil || got.AccessKeyID != "ASIASECOND" {
		t.Fatalf("Retrieve after a failed refresh = %s, %v; want the valid ASIASECOND", got.AccessKeyID, err)
	}
}

// TestPublicImportsOnly checks that the example is what a third party can write: no
// file under examples/plugin, tests included, imports an internal package, and the
// plugin binary depends on no brs package but the public plugin and shared ones (and
// what those use).
func TestPublicImportsOnly(t *testing.T) {
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		n++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "internal" || strings.HasPrefix(p, "internal/") || strings.Contains(p, "/internal/") || strings.HasSuffix(p, "/internal") {
				t.Errorf("%s imports %s", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 {
		t.Fatalf("checked %d Go files; the walk missed the package", n)
	}

	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := map[string]bool{
		"example.com/brs-plugin-file":           true,
		"example.com/brs-plugin-file/filecreds": true,
	}
	// What the public SDK itself is built on (the generated protobuf code behind shared,
	// the process and text helpers behind plugin, shared and plugin/httpsource) comes
	// with it; nothing else of brs may.
	sdk, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "github.com/brs-go/brs/plugin", "github.com/brs-go/brs/shared", "github.com/brs-go/brs/plugin/httpsource").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(sdk)) {
		allowed[dep] = true
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/brs-go/brs/") && !allowed[dep] {
			t.Errorf("the plugin depends on %s", dep)
		}
	}
	if !strings.Contains(string(out), "github.com/brs-go/brs/plugin\n") {
		t.Errorf("go list -deps does not list the plugin SDK:\n%s", out)
	}
}
