//go:build !linux

package proc

import (
	"os/exec"
	"syscall"
)

// HasParentDeathSignal reports whether the platform delivers a signal to a child when
// its parent dies (Linux's PR_SET_PDEATHSIG).
const HasParentDeathSignal = false

// SetParentDeathSignal does nothing outside Linux, which alone has a parent-death
// signal.
func SetParentDeathSignal(*exec.Cmd, syscall.Signal) {}

// Start starts cmd.
func Start(cmd *exec.Cmd) error { return cmd.Start() }

// DisableDumping does nothing outside Linux.
func DisableDumping() error { return nil }

// Dumpable reports true outside Linux.
func Dumpable() (bool, error) { return true, nil }

// CanWaitExited reports whether WaitExited waits: not outside Linux.
const CanWaitExited = false

// WaitExited returns at once outside Linux (see CanWaitExited): the caller's wait
// reaps the process.
func WaitExited(int) {}
