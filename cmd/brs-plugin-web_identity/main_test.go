package main

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestRunByHand checks that the binary, started without the host's handshake, says it
// is a plugin and exits non-zero instead of serving.
func TestRunByHand(t *testing.T) {
	defer plugintestbin.Cleanup()
	bin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-web_identity")
	out, err := exec.Command(bin).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("running the plugin by hand: %v, want exit status 1\n%s", err, out)
	}
	if !strings.Contains(string(out), "plugin") {
		t.Errorf("output %q does not say that this is a plugin", out)
	}
}
