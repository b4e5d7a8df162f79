package proc

import (
	"os"
	"os/exec"
	"syscall"
)

// OwnGroup does nothing on Windows, which has no process groups: only the process
// itself is killed, not the processes it started.
func OwnGroup(*exec.Cmd) {}

// KillGroup kills the process pid (Windows has no process groups to kill).
func KillGroup(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}

// SignalGroup kills the process pid whatever sig is: Windows has neither process
// groups nor signals to ask a process to end.
func SignalGroup(pid int, _ syscall.Signal) error { return KillGroup(pid) }
