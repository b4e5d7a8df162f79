package host

import (
	"os/exec"
	"syscall"
)

// dieWithHost has the kernel kill a plugin process when the host process dies, even
// by SIGKILL: a plugin left behind would run forever, holding no host to serve.
func dieWithHost(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
