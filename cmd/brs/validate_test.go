package main

import (
	"path/filepath"
	"testing"
)

// TestValidateFiveMistakes runs brs validate once, with the real built-in plugins, on
// a file with five independent mistakes in five roles: a syntax error HCL recovers
// from, an unknown attribute, a config value of the wrong type, an unknown source with
// a typo, and a role_arn the sts plugin refuses. All five are reported, with their
// file:line:column, and nothing else: the golden file holds the whole output.
func TestValidateFiveMistakes(t *testing.T) {
	plugins := builtinPlugins(t, "sts", "sso") // sso: as close to "sst" as sts, but not its letters
	t.Setenv("BRS_PLUGIN_DIR", "")
	t.Setenv("GOBIN", t.TempDir()) // no plugins of the machine's own
	r := runBRS(t, "--plugin-dir", plugins, "-c", filepath.Join("testdata", "validate_five.hcl"), "validate")
	if r.code != exitError {
		t.Errorf("exit %d, want %d", r.code, exitError)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
	checkGolden(t, "validate_five.golden", r.stderr)
}
