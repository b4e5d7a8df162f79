// Package needtool is the one place where a test finds an external program that
// README does not ask a developer to install (fish, zsh, the AWS CLI, python3 with
// boto3): without it, the test skips with a line that says what to install; with
// BRS_REQUIRE_TOOLS=1 in the environment (CI sets it in .ci/run, which installs them),
// the test fails instead, so CI still runs every such test.
package needtool

import (
	"os"
	"os/exec"
)

// RequireEnv is the environment variable that turns a missing tool from a skip into
// a failure when it is "1".
const RequireEnv = "BRS_REQUIRE_TOOLS"

// Install hints for the tools the tests use, as apt-get commands (.ci/run runs them).
const (
	Fish   = "apt-get install fish"
	Zsh    = "apt-get install zsh"
	AWSCLI = "apt-get install awscli"
	Boto3  = "apt-get install python3-boto3"
)

// T is the part of testing.TB that needtool uses.
type T interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Path returns the path of the executable name found in PATH. Without it, t skips
// ("fish not found: apt-get install fish"), or fails when BRS_REQUIRE_TOOLS=1.
func Path(t T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" not found", install)
		return ""
	}
	return path
}

// Missing ends t for a tool that is not there or does not work, as Path does: what
// says what is missing ("python3 with boto3"), install how to get it.
func Missing(t T, what, install string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s (%s=1: a missing tool fails the test): %s", what, RequireEnv, install)
		return
	}
	t.Skipf("%s: %s", what, install)
}

// Root ends t unless the tests run as root, which a test needs to act as a second
// local user: it skips saying why, or fails when BRS_REQUIRE_TOOLS=1 (CI runs as
// root, so there such a test always runs).
func Root(t T, why string) {
	t.Helper()
	if os.Geteuid() != 0 {
		Missing(t, "not root: "+why, "run the tests as root (CI does)")
	}
}
