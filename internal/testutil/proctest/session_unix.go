//go:build unix

package proctest

import (
	"os/exec"
	"syscall"
)

// NewSession makes cmd start in a session of its own, so that no terminal decides
// which signals reach it.
func NewSession(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

// Kill sends SIGKILL to pid.
func Kill(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }
