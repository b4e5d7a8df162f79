package proctest

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// goneTimeout is how long WaitGone waits: a SIGKILL takes effect in milliseconds, a
// SIGTERM followed by a grace period in a few seconds, even under -race on 2 cores.
const goneTimeout = 20 * time.Second

// ReadPID returns the process ID written in the file at path, failing the test if
// there is none.
func ReadPID(t testing.TB, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if pid <= 0 {
		t.Fatalf("%s holds pid %d", path, pid)
	}
	return pid
}

// WaitGone fails the test unless pid is dead (gone, or a zombie that nobody has reaped
// yet) within 20 seconds. On Linux it waits for the kernel to report the exit; on
// failure it kills pid, so that a failed test leaves nothing behind.
func WaitGone(t testing.TB, pid int) {
	t.Helper()
	if pid <= 0 {
		t.Fatalf("WaitGone(%d): not a process ID", pid)
	}
	if !waitGone(pid, goneTimeout) {
		kill(pid)
		t.Fatalf("process %d is still running after %v", pid, goneTimeout)
	}
}

// Alive reports whether pid is a running process (a zombie is not running).
func Alive(pid int) bool { return alive(pid) }
