//go:build !linux

package host

import "os/exec"

// dieWithHost does nothing outside Linux, which lacks a parent-death signal.
func dieWithHost(*exec.Cmd) {}
