package ttyprompt

import "golang.org/x/sys/unix"

// The terminal mode ioctls: read, set, set after discarding pending input.
const (
	ioctlGetTermios      = unix.TCGETS
	ioctlSetTermios      = unix.TCSETS
	ioctlSetTermiosFlush = unix.TCSETSF
)
