//go:build unix

package proc

import (
	"os/exec"
	"syscall"
)

func attr(cmd *exec.Cmd) *syscall.SysProcAttr {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	return cmd.SysProcAttr
}

// OwnGroup makes cmd's process the leader of a new process group, so that KillGroup
// reaches its children too.
func OwnGroup(cmd *exec.Cmd) {
	attr(cmd).Setpgid = true
}

// KillGroup sends SIGKILL to the process group led by pid.
func KillGroup(pid int) error {
	return syscall.Kill(-pid, syscall.SIGKILL)
}

// SignalGroup sends sig to the process group led by pid.
func SignalGroup(pid int, sig syscall.Signal) error {
	return syscall.Kill(-pid, sig)
}
