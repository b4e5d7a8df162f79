package config

import (
	"slices"
	"testing"
)

// TestEnvironment: the names given to env() anywhere in the file and those in
// inherit_env lists are the file's environment; a name that is not a literal makes
// it dynamic; env() in a string template and in a default count too.
func TestEnvironment(t *testing.T) {
	t.Setenv("BRS_TEST_NS", "ns")
	for _, tc := range []struct {
		name, src string
		want      []string
		dynamic   bool
	}{
		{"none", `role "a" { source = "sts" }`, nil, false},
		{"env and inherit_env", `role "a" {
  source = "process"
  region = env("BRS_TEST_REGION", "us-east-1")
  config {
    command     = "vault read x"
    env         = { VAULT_NAMESPACE = "${env("BRS_TEST_NS")}/team", TOKEN = env("VAULT_TOKEN", "") }
    inherit_env = ["AWS_PROFILE", "VAULT_ADDR"]
  }
}`, []string{"AWS_PROFILE", "BRS_TEST_NS", "BRS_TEST_REGION", "VAULT_ADDR", "VAULT_TOKEN"}, false},
		{"dynamic env", `role "a" {
  source = "process"
  config { command = env("${env("BRS_TEST_NS")}_CMD", "x") }
}`, []string{"BRS_TEST_NS"}, true},
		{"dynamic inherit_env", `role "a" {
  source = "process"
  config {
    command     = "x"
    inherit_env = [env("BRS_TEST_NS", "X")]
  }
}`, []string{"BRS_TEST_NS"}, true},
	} {
		f, diags := ParseSource([]byte(tc.src), "brs.hcl")
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tc.name, diags)
		}
		got, dynamic := f.Environment()
		if !slices.Equal(got, tc.want) || dynamic != tc.dynamic {
			t.Errorf("%s: Environment() = %q, %v; want %q, %v", tc.name, got, dynamic, tc.want, tc.dynamic)
		}
	}
}
