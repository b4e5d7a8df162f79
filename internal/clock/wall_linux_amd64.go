//go:build linux && amd64

package clock

import (
	"syscall"
	"time"
)

// wallMicros reads the wall clock alone: on linux/amd64 syscall.Gettimeofday is a
// vDSO call (no system call), half the cost of time.Now, which reads both the wall
// and the monotonic clock.
func wallMicros() int64 {
	var tv syscall.Timeval
	if err := syscall.Gettimeofday(&tv); err != nil {
		return time.Now().UnixMicro()
	}
	return tv.Sec*1e6 + tv.Usec
}
