package main

import (
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestCloseTroubleIsLogged runs brs env with a plugin that does not exit when asked
// to: the command's result stands, and the log says which plugin had to be killed.
func TestCloseTroubleIsLogged(t *testing.T) {
	bin := plugintestbin.Build(t, testPluginPkg)
	path := writeHCL(t, t.TempDir(), "brs.hcl", `plugin "stubborn" {
  command = "`+bin+`"
  args    = ["-linger"]
}
role "a" {
  source = "stubborn"
}
`)
	r := runBRS(t, "-c", path, "env", "a")
	if r.code != exitOK || !strings.Contains(r.stdout, "export AWS_ACCESS_KEY_ID='TESTPID") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "stopping the plugins") || !strings.Contains(r.stderr, `plugin \"stubborn\"`) ||
		!strings.Contains(r.stderr, "killed") {
		t.Errorf("stderr does not report the plugin that had to be killed:\n%s", r.stderr)
	}
}
