//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAgentNotUsedSaysWhyOnce: a command that cannot use the agent (here its socket
// directory is writable by others, which brs refuses) fetches in-process and says
// so on stderr once, with the reason, not only in a debug log; BRS_AGENT=off says
// nothing.
func TestAgentNotUsedSaysWhyOnce(t *testing.T) {
	h := newAgentHarness(t)
	dir := filepath.Join(h.work, "open")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	cfg := writeHCL(t, h.work, "brs.hcl", oneRole("a"))
	r := h.run([]string{"BRS_AGENT_SOCKET=" + filepath.Join(dir, "agent.sock")}, "-c", cfg, "env", "a")
	if r.code != 0 || !strings.Contains(r.stdout, "AWS_ACCESS_KEY_ID=") {
		t.Fatalf("brs env without a usable agent: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if n := strings.Count(r.stderr, "brs: not using the agent: "); n != 1 || !strings.Contains(r.stderr, "others can write to it") {
		t.Errorf("stderr says %d times why the agent is not used, want once with the reason:\n%s", n, r.stderr)
	}
	r = h.run([]string{"BRS_AGENT=off"}, "-c", cfg, "env", "a")
	if r.code != 0 || strings.Contains(r.stderr, "agent") {
		t.Errorf("BRS_AGENT=off: exit %d, stderr %q; want silence about the agent", r.code, r.stderr)
	}
}
