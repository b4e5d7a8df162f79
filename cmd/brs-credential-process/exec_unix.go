//go:build unix

package main

import (
	"os"
	"syscall"
)

// runBRS replaces this process with brs and args: same process, same standard
// streams, the exit status is brs's. It returns only if the exec fails.
func runBRS(brs string, args []string) error {
	return syscall.Exec(brs, append([]string{brs}, args...), os.Environ())
}
