package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// FuzzParseSource checks that no input makes ParseSource or DecodeConfig panic, and
// that every error they report points somewhere.
func FuzzParseSource(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*", "*.hcl"))
	if err != nil {
		f.Fatal(err)
	}
	if len(seeds) == 0 {
		f.Fatal("no seed files")
	}
	for _, path := range seeds {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	// Shapes that the files do not cover.
	f.Add([]byte(`role "a" { source = "${1e1000}" }`))
	f.Add([]byte(`role "a" { source = "x" config { role_arn = "%{ for x in [1] }${x}%{ endfor }" } }`))
	f.Add([]byte(`role "a" { source = env(["x"]...) }`))
	f.Add([]byte(`role "a" { source = "s" config { tags = { (env("HOME")) = null } } }`))
	// Files built to hurt the parser: deep nesting, long templates.
	for _, in := range hostileInputs() {
		f.Add([]byte(in.src))
	}

	f.Fuzz(func(t *testing.T, src []byte) {
		file, diags := ParseSource(src, "fuzz.hcl")
		if file == nil {
			t.Fatal("ParseSource returned a nil File")
		}
		requireSubjects(t, diags)
		if diags.HasErrors() {
			return
		}
		if len(file.Roles) == 0 {
			t.Fatal("a file without roles parsed without error")
		}
		for _, r := range file.Roles {
			dec, diags := DecodeConfig(r, testSchema)
			requireSubjects(t, diags)
			if !diags.HasErrors() && dec == nil {
				t.Fatal("DecodeConfig returned neither a Decoded nor an error")
			}
		}
	})
}

// requireSubjects fails the test for any error without a subject.
func requireSubjects(t *testing.T, diags hcl.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Subject == nil {
			t.Fatalf("error %q (%s) has no subject", d.Summary, d.Detail)
		}
	}
}
