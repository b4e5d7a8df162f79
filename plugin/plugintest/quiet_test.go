package plugintest_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestConnectQuiet: a test that connects, calls and closes prints nothing on stderr
// (go-plugin's test connection printed "[DEBUG] stdio EOF" lines there). It runs in a
// subprocess, whose stderr is the evidence.
func TestConnectQuiet(t *testing.T) {
	if os.Getenv("PLUGINTEST_RUN_QUIET") == "1" {
		t.Run("connect", func(t *testing.T) {
			r := plugintest.Connect(t, bad{})
			if _, err := r.Schema(context.Background(), &shared.SchemaRequest{}); err != nil {
				t.Error(err)
			}
		})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestConnectQuiet$")
	cmd.Env = append(os.Environ(), "PLUGINTEST_RUN_QUIET=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("Connect printed on stderr:\n%s", stderr.String())
	}
}
