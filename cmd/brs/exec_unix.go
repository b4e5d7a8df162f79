//go:build unix

package main

import (
	"os"
	"syscall"
)

// forwardedSignals are passed on to the command of `brs exec`, as a process supervisor
// such as tini passes them: what a user or another program sends to brs is meant for
// the command. Left out, with the reason: SIGTSTP, SIGTTIN and SIGTTOU (job control:
// brs stops with its command, so Ctrl-Z and fg keep working), SIGCHLD (about brs's own
// children), SIGURG and SIGPROF (used by the Go runtime), SIGPIPE (brs cannot tell one
// sent with kill from the one the kernel raises when brs's credentials endpoint writes
// to a connection the command closed, and forwarding that would kill the command), and
// the signals the kernel raises for a fault of brs itself (SIGSEGV, SIGBUS, SIGFPE,
// SIGILL, SIGTRAP, SIGSYS, SIGXCPU, SIGXFSZ).
var forwardedSignals = []os.Signal{
	syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM,
	syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH, syscall.SIGALRM,
	syscall.SIGCONT, syscall.SIGVTALRM,
}

// reachesChildItself reports whether the command got signal s without brs's help: a
// terminal sends SIGINT (Ctrl-C) and SIGQUIT (Ctrl-\) to its whole foreground process
// group, brs and the command alike. Forwarding them too would deliver them twice, and
// many programs take a second interrupt as "stop now, skip the clean-up". SIGWINCH and
// SIGCONT are forwarded even so: a second one is harmless (the command reads the window
// size again; it is running already), and one sent to brs alone must reach it.
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
