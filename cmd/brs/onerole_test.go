package main

import (
	"strings"
	"testing"
)

// TestOneRoleLoadsOnlyItsChain: a command that needs one role loads that role and its
// source_role chain, so a broken config block or an unknown source in another role
// does not stop it; brs validate still reports both.
func TestOneRoleLoadsOnlyItsChain(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", testRoles+`
role "c" {
  source      = "test"
  source_role = "a"
}

role "broken" {
  source = "test"
  config {
    lifetime = "forever"
  }
}

role "elsewhere" {
  source = "nope"
}
`)
	for _, args := range [][]string{
		{"credential-process", "c"},
		{"env", "c"},
	} {
		r := runBRS(t, append([]string{"-c", path, "--no-agent"}, args...)...)
		if r.code != exitOK || !strings.Contains(r.stdout, "TESTPID") {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", args, r.code, r.stdout, r.stderr)
		}
	}
	r := runBRS(t, "-c", path, "validate")
	if r.code != exitError || !strings.Contains(r.stderr, "Invalid lifetime") || !strings.Contains(r.stderr, "Unknown credential source") {
		t.Errorf("validate: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	// A role the file does not declare is said once, with the roles there are.
	r = runBRS(t, "-c", path, "--no-agent", "credential-process", "nope")
	if r.code != exitError || strings.Count(r.stderr, `no role "nope"`) != 1 || strings.Count(r.stderr, path) != 1 {
		t.Errorf("unknown role: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}
