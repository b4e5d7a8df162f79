package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/shared"
)

// commandSchema marks mfa_token_command as a command, as the sources do.
var commandSchema = shared.Schema{
	Description: "A source that runs commands, for tests.",
	Attributes: []shared.Attribute{
		{Name: "role_arn", Type: shared.TypeString},
		{Name: "mfa_token_command", Type: shared.TypeString, Command: true},
		{Name: "env", Type: shared.TypeStringMap, Sensitive: true},
	},
}

// TestNoSecretInCommand: a value of env() or file() inside an attribute the schema
// marks Command is refused at the call, with a detail that says to use the role's
// environment, since every local user can read a command line; the value is not even
// read. The same calls are fine in other attributes and in env, and a literal command
// is fine.
func TestNoSecretInCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "seed"), []byte("seed-secret-value"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BRS_TEST_SEED", "env-secret-value")
	for _, tc := range []struct {
		name, expr string
		fn         string
		col        int // where the call starts, on line 4
	}{
		{"file in a template", `"otp --seed=${file("seed")}"`, "file", 39},
		{"env alone", `env("BRS_TEST_SEED")`, "env", 25},
		{"file inside env's default", `"otp ${env("NOPE", file("seed"))}"`, "env", 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "role \"a\" {\n  source = \"s\"\n  config {\n    mfa_token_command = " + tc.expr + "\n  }\n}\n"
			f, diags := ParseSource([]byte(src), filepath.Join(dir, "brs.hcl"))
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			dec, diags := DecodeConfig(f.Role("a"), commandSchema)
			if dec != nil || len(diags) != 1 {
				t.Fatalf("decoded %v, diagnostics %v; want one error", dec, diags)
			}
			d := diags[0]
			if d.Summary != "Secret in a command line" || d.Subject.Start.Line != 4 || d.Subject.Start.Column != tc.col {
				t.Errorf("%q at %v, want line 4 column %d", d.Summary, d.Subject, tc.col)
			}
			for _, w := range []string{"mfa_token_command is run as a command", "what " + tc.fn + "() returns", "role's env attribute",
				`env = { SEED = file("seed") } and mfa_token_command = "otp --seed=\"$SEED\""`} {
				if !strings.Contains(d.Detail, w) {
					t.Errorf("detail lacks %q: %s", w, d.Detail)
				}
			}
			if strings.Contains(d.Detail, "secret-value") {
				t.Errorf("the diagnostic shows the value: %s", d.Detail)
			}
		})
	}
	src := `role "a" {
  source = "s"
  config {
    role_arn          = file("seed")
    env               = { SEED = file("seed"), TOKEN = env("BRS_TEST_SEED") }
    mfa_token_command = "otp --seed=\"$SEED\""
  }
}
`
	f, diags := ParseSource([]byte(src), filepath.Join(dir, "brs.hcl"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if _, diags := DecodeConfig(f.Role("a"), commandSchema); diags.HasErrors() {
		t.Errorf("env() and file() outside the command: %v", diags)
	}
}
