package host_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDefaultLoggerWarnsOnStderr: a host given no logger says on standard error what
// goes wrong (here a plugin that exits at start with status 3), at warn level and
// above only, instead of discarding it.
func TestDefaultLoggerWarnsOnStderr(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envHostConfig+"="+writeHCL(t, `
plugin "test" {
  command = "{{test}}"
  args    = ["-exit-at-start"]
}
role "a" {
  source = "test"
}`))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err == nil || !strings.HasPrefix(stdout.String(), "load:") {
		t.Fatalf("the host loaded a plugin that exits at start: %v, %q", err, stdout.String())
	}
	if !strings.Contains(stderr.String(), `[ERROR] brs.plugin.test: plugin process exited`) || !strings.Contains(stderr.String(), `error="exit status 3"`) {
		t.Errorf("standard error of a host with the default logger lacks the warning:\n%s", stderr.String())
	}
	for _, below := range []string{"[DEBUG]", "[INFO]", "[TRACE]"} {
		if strings.Contains(stderr.String(), below) {
			t.Errorf("the default logger wrote a %s line:\n%s", below, stderr.String())
		}
	}
}
