//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package ttyprompt

import "golang.org/x/sys/unix"

// The terminal mode ioctls: read, set, set after discarding pending input.
const (
	ioctlGetTermios      = unix.TIOCGETA
	ioctlSetTermios      = unix.TIOCSETA
	ioctlSetTermiosFlush = unix.TIOCSETAF
)
