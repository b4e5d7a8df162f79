//go:build !unix

package proctest

import (
	"os"
	"os/exec"
)

// NewSession does nothing where there are no sessions.
func NewSession(*exec.Cmd) {}

// Kill ends the process pid.
func Kill(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}
