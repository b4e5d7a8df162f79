package main

import (
	"strings"
	"testing"
)

// TestUnknownRoleDidYouMean: a typo of a role's name gets the error that lists the
// roles and a "did you mean" line, from credential-process and from exec; a name
// close to none gets no guess.
func TestUnknownRoleDidYouMean(t *testing.T) {
	cfg := writeHCL(t, t.TempDir(), "brs.hcl", oneRole("analytics"))
	for _, args := range [][]string{
		{"credential-process", "analytcs"},
		{"exec", "anlaytics", "--", "true"},
	} {
		r := runBRS(t, append([]string{"-c", cfg}, args...)...)
		if r.code != exitError || !strings.HasSuffix(r.stderr, "\nbrs: did you mean \"analytics\"?\n") || !strings.Contains(r.stderr, "no role") {
			t.Errorf("%q: exit %d, stderr:\n%s", args, r.code, r.stderr)
		}
	}
	r := runBRS(t, "-c", cfg, "credential-process", "zzz")
	if r.code != exitError || strings.Contains(r.stderr, "did you mean") {
		t.Errorf("zzz: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}
