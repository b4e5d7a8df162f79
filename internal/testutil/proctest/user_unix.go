//go:build unix

package proctest

import (
	"os"
	"os/exec"
	"syscall"
)

// Unprivileged makes cmd run as an ordinary user: as the current one, or as nobody
// (65534) when the tests run as root. Root can read any process's /proc files, so a
// test of what a process of the same user can see must use another user.
func Unprivileged(cmd *exec.Cmd) {
	if os.Geteuid() != 0 {
		return
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Credential = &syscall.Credential{Uid: nobody, Gid: nobody, NoSetGroups: true}
}
