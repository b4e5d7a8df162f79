//go:build unix

package main

import (
	"os"
	"syscall"
)

// forwardedSignals are passed on to the command of `brs exec`.
var forwardedSignals = []os.Signal{
	syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2,
}

// reachesChildItself reports whether the command got signal s without brs's help: a
// terminal sends SIGINT (Ctrl-C) and SIGQUIT (Ctrl-\) to its whole foreground process
// group, brs and the command alike. Forwarding them too would deliver them twice, and
// many programs take a second interrupt as "stop now, skip the clean-up".
func reachesChildItself(s os.Signal) bool {
	if s != syscall.SIGINT && s != syscall.SIGQUIT {
		return false
	}
	return inForeground()
}

// exitStatus is the shell's view of how a process ended: its exit code, or 128+N if
// signal N killed it.
func exitStatus(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
