package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/shared"
)

// parsed returns f, or the diagnostics as an error when they hold one.
func parsed(f *File, diags hcl.Diagnostics) (*File, error) {
	if diags.HasErrors() {
		return nil, diags
	}
	return f, nil
}

// TestWithEnviron: env() outside and inside config blocks reads the environment
// given to Parse, not this process's, whatever the process's holds: a variable set
// in both has the given value, and one set only in the process is unset (its default
// applies). The names the file gives env() and inherit_env are those Environment
// reports; their values are the sources' to read from the environment their plugin
// is started with (the host's, see host.WithEnviron).
func TestWithEnviron(t *testing.T) {
	t.Setenv("BRS_T_REGION", "process-region")
	t.Setenv("BRS_T_ARN", "arn:process")
	t.Setenv("BRS_T_ONLY_PROCESS", "process-session")
	src := `role "a" {
  source = "s"
  region = env("BRS_T_REGION")
  config {
    role_arn     = env("BRS_T_ARN")
    session_name = env("BRS_T_ONLY_PROCESS", "default-session")
    inherit_env  = ["BRS_T_INHERIT"]
  }
}`
	path := filepath.Join(t.TempDir(), "cfg.hcl")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	environ := []string{"BRS_T_REGION=old", "BRS_T_ARN=arn:given", "BRS_T_REGION=given-region"}
	schema := testSchema
	schema.Attributes = append(schema.Attributes[:len(schema.Attributes):len(schema.Attributes)],
		shared.Attribute{Name: "inherit_env", Type: shared.TypeStringList})
	for name, parse := range map[string]func() (*File, error){
		"Parse":       func() (*File, error) { return parsed(Parse(path, WithEnviron(environ))) },
		"ParseSource": func() (*File, error) { return parsed(ParseSource([]byte(src), path, WithEnviron(environ))) },
		"ParseOnly":   func() (*File, error) { return parsed(ParseOnly(path, []string{"a"}, WithEnviron(environ))) },
	} {
		f, err := parse()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r := f.Role("a")
		if r.Region != "given-region" {
			t.Errorf("%s: region %q, want the given environment's last BRS_T_REGION", name, r.Region)
		}
		dec, diags := DecodeConfig(r, schema)
		if diags.HasErrors() {
			t.Fatalf("%s: DecodeConfig: %v", name, diags)
		}
		got := string(dec.JSON)
		for _, want := range []string{`"role_arn":"arn:given"`, `"session_name":"default-session"`} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: config %s, want %s", name, got, want)
			}
		}
		if names, _ := f.Environment(); !slices.Equal(names, []string{"BRS_T_ARN", "BRS_T_INHERIT", "BRS_T_ONLY_PROCESS", "BRS_T_REGION"}) {
			t.Errorf("%s: Environment %q", name, names)
		}
	}
	// Without the option, env() reads the process's environment.
	f, err := parsed(Parse(path))
	if err != nil {
		t.Fatal(err)
	}
	if r := f.Role("a"); r.Region != "process-region" {
		t.Errorf("without WithEnviron: region %q, want the process's", r.Region)
	}
}
