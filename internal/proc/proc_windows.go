package proc

import (
	"os"
	"os/exec"
)

// OwnGroup does nothing on Windows.
func OwnGroup(*exec.Cmd) {}

// KillGroup kills the process pid (Windows has no process groups to kill).
func KillGroup(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}
