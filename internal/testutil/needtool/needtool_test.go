package needtool

import (
	"fmt"
	"testing"
)

// recorder is a T that records how the test would have ended.
type recorder struct{ skipped, failed string }

func (r *recorder) Helper()                      {}
func (r *recorder) Skipf(f string, args ...any)  { r.skipped = fmt.Sprintf(f, args...) }
func (r *recorder) Fatalf(f string, args ...any) { r.failed = fmt.Sprintf(f, args...) }

// TestPath: a tool that is there is found; one that is not skips with what to
// install, or fails under BRS_REQUIRE_TOOLS=1.
func TestPath(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(RequireEnv, "")
	var r recorder
	if p := Path(&r, "brs-no-such-tool", "apt-get install brs-no-such-tool"); p != "" ||
		r.skipped != "brs-no-such-tool not found: apt-get install brs-no-such-tool" || r.failed != "" {
		t.Errorf("without %s: path %q, %+v", RequireEnv, p, r)
	}
	t.Setenv(RequireEnv, "1")
	r = recorder{}
	Path(&r, "brs-no-such-tool", "apt-get install brs-no-such-tool")
	if r.skipped != "" || r.failed != "brs-no-such-tool not found (BRS_REQUIRE_TOOLS=1: a missing tool fails the test): apt-get install brs-no-such-tool" {
		t.Errorf("with %s=1: %+v", RequireEnv, r)
	}
	t.Setenv("PATH", "/usr/bin:/bin")
	r = recorder{}
	if p := Path(&r, "sh", "-"); p == "" || r != (recorder{}) {
		t.Errorf("sh: path %q, %+v", p, r)
	}
}
