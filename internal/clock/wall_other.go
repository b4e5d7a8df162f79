//go:build !(linux && amd64)

package clock

import "time"

// wallMicros is time.Now's wall reading where no cheaper wall-only read is known
// (on linux/arm64 gettimeofday is a system call; darwin's time.Now is one read).
func wallMicros() int64 { return time.Now().UnixMicro() }
