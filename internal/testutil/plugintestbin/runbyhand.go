package plugintestbin

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// RequireRefusesToRunByHand checks that the plugin built from the main package pkg,
// started without the host's handshake, says it is a plugin and exits with status 1
// instead of serving. A failure fails t.
func RequireRefusesToRunByHand(t testing.TB, pkg string) {
	t.Helper()
	bin := Build(t, pkg)
	out, err := exec.Command(bin).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("running the plugin by hand: %v, want exit status 1\n%s", err, out)
	}
	if !strings.Contains(string(out), "plugin") {
		t.Errorf("output %q does not say that this is a plugin", out)
	}
}
