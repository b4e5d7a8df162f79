//go:build unix

package host_test

import (
	"syscall"
	"testing"
	"time"
)

const (
	cpuSelf     = syscall.RUSAGE_SELF
	cpuChildren = syscall.RUSAGE_CHILDREN
)

// cpuTime returns the user+system CPU time of who (RUSAGE_SELF or RUSAGE_CHILDREN).
func cpuTime(b *testing.B, who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
