//go:build unix && !linux

package config

import "syscall"

// openNonblock keeps the open of a file swapped for a named pipe from blocking.
const openNonblock = syscall.O_NONBLOCK
