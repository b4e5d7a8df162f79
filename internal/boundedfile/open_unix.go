//go:build unix

package boundedfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// open opens path for reading without blocking on a named pipe (O_NONBLOCK, which
// has no effect on a regular file) and without making a terminal the controlling one.
func open(path string) (*os.File, error) {
	for {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK|unix.O_NOCTTY, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}
