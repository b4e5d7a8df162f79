//go:build unix

package plugin

import "syscall"

func closeOnExec(fd int) { syscall.CloseOnExec(fd) }
