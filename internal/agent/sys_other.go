//go:build !unix

package agent

import (
	"os"
	"os/exec"
)

// lockFile is never reached here: Listen refuses first.
func lockFile(*os.File) error { return ErrUnsupported }

// detach is never reached here: Start refuses first.
func detach(*exec.Cmd) {}

// inodeOf has no inode here; size and mtime remain.
func inodeOf(os.FileInfo) (ino, ctime int64) { return 0, 0 }
