//go:build unix

package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// processAlive reports whether pid runs: not gone, and not a zombie (an agent whose
// starter exited may wait a while for init to reap it).
func processAlive(pid int) bool {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		return syscall.Kill(pid, 0) == nil // no /proc (macOS)
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}
