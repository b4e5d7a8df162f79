//go:build !unix

package host_test

import (
	"testing"
	"time"
)

const (
	cpuSelf     = 0
	cpuChildren = 1
)

// cpuTime is not measured on this platform: it returns 0.
func cpuTime(*testing.B, int) time.Duration { return 0 }
