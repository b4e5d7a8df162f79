package plugintemplate

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInStepWithExample: the embedded template is examples/plugin as it is now. Run
// "go generate ./internal/plugintemplate" after changing the example.
func TestInStepWithExample(t *testing.T) {
	example := filepath.Join("..", "..", "examples", "plugin")
	embedded := map[string]bool{}
	err := fs.WalkDir(files, "_template", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(path, "_template/"), ".txt")
		embedded[rel] = true
		want, err := os.ReadFile(filepath.Join(example, filepath.FromSlash(rel)))
		if err != nil {
			t.Errorf("%s is in the template but not in examples/plugin: run go generate ./internal/plugintemplate", rel)
			return nil
		}
		if got, _ := files.ReadFile(path); !bytes.Equal(got, want) {
			t.Errorf("%s differs from examples/plugin: run go generate ./internal/plugintemplate", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(example, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(example, path)
		rel = filepath.ToSlash(rel)
		kept := strings.HasSuffix(rel, ".go") || rel == "go.mod" || rel == "go.sum" || rel == "Makefile" || rel == "README.md"
		if kept && !embedded[rel] {
			t.Errorf("examples/plugin/%s is not in the template: run go generate ./internal/plugintemplate", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"", "Vault", "va-ult", "../x", "1abc"} {
		if err := Write(filepath.Join(dir, "x"), Options{Name: name}); err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "keep"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, Options{Name: "vault"}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("non-empty directory: %v", err)
	}
}

func TestWriteNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vault")
	if err := Write(dir, Options{Name: "vault", SDKVersion: "v1.1.0"}); err != nil {
		t.Fatal(err)
	}
	mod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	for _, s := range []string{"module example.com/brs-plugin-vault", "github.com/brs-go/brs v1.1.0"} {
		if !strings.Contains(string(mod), s) {
			t.Errorf("go.mod lacks %q:\n%s", s, mod)
		}
	}
	if strings.Contains(string(mod), "replace") {
		t.Errorf("go.mod keeps the replace directive:\n%s", mod)
	}
	main, _ := os.ReadFile(filepath.Join(dir, "main.go"))
	if !strings.Contains(string(main), `Name: "vault"`) || strings.Contains(string(main), "brs-plugin-file") {
		t.Errorf("main.go not renamed:\n%s", main)
	}
}
