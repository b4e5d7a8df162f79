//go:build !unix

package main

import "os"

// forwardedSignals are passed on to the command of `brs exec`. Outside Unix only an
// interrupt exists, and the console already delivers it to the command.
var forwardedSignals = []os.Signal{os.Interrupt}

// reachesChildItself reports whether the command got signal s without brs's help: the
// console sends Ctrl-C to every process attached to it.
func reachesChildItself(os.Signal) bool { return true }

// exitStatus is the command's exit code.
func exitStatus(ps *os.ProcessState) int { return ps.ExitCode() }
