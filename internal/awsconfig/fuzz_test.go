package awsconfig

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// FuzzImport imports arbitrary config and credentials files: Import never panics, its
// output always parses as HCL, and a secret key of the input never reaches it.
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob("testdata/import/*.ini")
	for _, p := range files {
		cfg, _ := os.ReadFile(p)
		creds, _ := os.ReadFile(strings.TrimSuffix(p, ".ini") + ".credentials")
		f.Add(string(cfg), string(creds))
	}
	f.Fuzz(func(t *testing.T, cfg, creds string) {
		res, err := Import(Input{ConfigPath: "config", Config: cfg, CredentialsPath: "credentials", Credentials: creds})
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		if _, diags := hclsyntax.ParseConfig(res.HCL, "out.hcl", hcl.InitialPos); diags.HasErrors() {
			t.Fatalf("output does not parse: %v\n%s", diags, res.HCL)
		}
		for _, s := range secrets(Input{Config: cfg, Credentials: creds}) {
			// A secret so short or common that it appears in the text brs writes
			// anyway ("a", "role") proves nothing.
			if len(s) >= 8 && strings.Contains(string(res.HCL)+strings.Join(res.Warnings, "\n"), s) && !strings.Contains(cfg+creds, "role_arn = "+s) {
				t.Fatalf("the output holds the secret %q:\n%s", s, res.HCL)
			}
		}
	})
}
