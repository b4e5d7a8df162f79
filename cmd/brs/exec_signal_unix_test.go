//go:build unix

package main

import (
	"io"
	"strconv"
	"syscall"
	"testing"
)

// TestExecForwardsSignals sends each signal brs forwards to the real brs exec: each
// reaches the command, which traps it and exits with its own status, and brs exits
// with it.
func TestExecForwardsSignals(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", execRoles)
	for _, tc := range []struct {
		sig  syscall.Signal
		name string
		code int
	}{
		{syscall.SIGTERM, "TERM", 42}, {syscall.SIGINT, "INT", 43}, {syscall.SIGUSR1, "USR1", 44}, {syscall.SIGHUP, "HUP", 45},
		{syscall.SIGUSR2, "USR2", 46}, {syscall.SIGWINCH, "WINCH", 47}, {syscall.SIGALRM, "ALRM", 48}, {syscall.SIGQUIT, "QUIT", 49},
		{syscall.SIGCONT, "CONT", 50}, {syscall.SIGVTALRM, "VTALRM", 51},
	} {
		t.Run(tc.name, func(t *testing.T) {
			script := "trap 'echo got-" + tc.name + "; exit " + strconv.Itoa(tc.code) + "' " + tc.name + "; echo ready; while :; do sleep 1 & wait $!; done"
			cmd, out, stderr := startBRS(t, "-c", path, "exec", "a", "--", "sh", "-c", script)
			readUntil(t, out, "ready")
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			got := readUntil(t, out, "got-")
			_, _ = io.Copy(io.Discard, out)
			err := cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != tc.code || got != "got-"+tc.name {
				t.Errorf("brs exited %d (%v) after the command printed %q; want %d; stderr:\n%s", code, err, got, tc.code, stderr.String())
			}
		})
	}
}
