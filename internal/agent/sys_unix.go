//go:build unix

package agent

import (
	"errors"
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive lock on f without waiting; errLocked if another
// process holds it. The kernel releases it when the holder dies.
func lockFile(f *os.File) error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return errLocked
	}
	return err
}

// detach makes cmd run in a session of its own, away from the terminal.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

// inodeOf returns fi's inode number and change time (ns), to tell a replaced or
// rewritten file from the one read before.
func inodeOf(fi os.FileInfo) (ino, ctime int64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return int64(st.Ino), ctimeOf(st)
}
