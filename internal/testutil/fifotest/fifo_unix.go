//go:build unix

package fifotest

import "syscall"

// Mkfifo makes a named pipe at path with mode.
func Mkfifo(path string, mode uint32) error { return syscall.Mkfifo(path, mode) }
