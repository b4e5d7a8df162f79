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
		// A secret that is also written elsewhere in the input (as a profile name, a
		// role ARN) or in brs's own text, or a short one (real ones are 40 characters)
		// that a message may hold by chance, proves nothing.
		var public []string
		for _, line := range strings.Split(cfg+"\n"+creds, "\n") {
			l := strings.ToLower(line)
			if !strings.Contains(l, "aws_secret_access_key") && !strings.Contains(l, "aws_session_token") {
				public = append(public, line)
			}
		}
		empty, _ := Import(Input{ConfigPath: "config", CredentialsPath: "credentials"})
		known := strings.Join(public, "\n") + string(empty.HCL)
		out := string(res.HCL) + strings.Join(res.Warnings, "\n")
		for _, s := range secrets(Input{Config: cfg, Credentials: creds}) {
			if len(s) >= 12 && !strings.Contains(known, s) && strings.Contains(out, s) {
				t.Fatalf("the output holds the secret %q:\n%s", s, res.HCL)
			}
		}
	})
}
