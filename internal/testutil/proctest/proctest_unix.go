//go:build unix && !linux

package proctest

import (
	"errors"
	"syscall"
	"time"
)

// waitGone checks every 5 ms whether pid still exists, at most d. Outside Linux there
// is no pidfd and no /proc; a zombie counts as alive until it is reaped.
func waitGone(pid int, d time.Duration) bool {
	deadline := time.After(d)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for alive(pid) {
		select {
		case <-tick.C:
		case <-deadline:
			return !alive(pid)
		}
	}
	return true
}

// alive reports whether a process pid exists (kill with signal 0 finds it, or finds it
// belongs to another user).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func kill(pid int) { _ = syscall.Kill(pid, syscall.SIGKILL) }
