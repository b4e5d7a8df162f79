package proc

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// HasParentDeathSignal reports whether the platform delivers a signal to a child when
// its parent dies (Linux's PR_SET_PDEATHSIG).
const HasParentDeathSignal = true

// SetParentDeathSignal makes the kernel send sig to cmd's process when the process that
// started it dies, however it dies (SIGKILL included). cmd must then be started with
// Start, not cmd.Start: see Start.
func SetParentDeathSignal(cmd *exec.Cmd, sig syscall.Signal) {
	attr(cmd).Pdeathsig = sig
}

// starter is the goroutine, locked to its thread for the life of the process, that
// starts every command with a parent-death signal.
var starter struct {
	once sync.Once
	reqs chan startReq
}

type startReq struct {
	cmd  *exec.Cmd
	done chan error
}

// Start starts cmd from a thread that lives as long as the process.
//
// Linux sends the parent-death signal when the *thread* that forked the child exits,
// not the process. The Go runtime ends a thread when a goroutine locked to it with
// runtime.LockOSThread returns without unlocking, which an application embedding the
// host may well do around its call into brs; a plugin started from that thread would
// be killed when the goroutine ends. Starting every child from one goroutine that is
// locked to its thread and never returns rules that out, at the cost of one thread.
func Start(cmd *exec.Cmd) error {
	starter.once.Do(func() {
		starter.reqs = make(chan startReq)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread must never exit
			for r := range starter.reqs {
				r.done <- r.cmd.Start()
			}
		}()
	})
	done := make(chan error, 1)
	starter.reqs <- startReq{cmd: cmd, done: done}
	return <-done
}

// DisableDumping makes the calling process non-dumpable: no core dump, and no other
// unprivileged process, even of the same user, can ptrace it or read its
// /proc/PID/environ, mem, maps... The state is reset by execve, so the children it
// runs are not affected.
func DisableDumping() error {
	return unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
}

// Dumpable reports whether the calling process is dumpable.
func Dumpable() (bool, error) {
	v, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	return v != 0, err
}

// CanWaitExited reports whether WaitExited waits (Linux's waitid with WNOWAIT).
const CanWaitExited = true

// WaitExited blocks until pid has exited, without reaping it: until the caller reaps
// it, the pid (and its process group ID) cannot be reused.
func WaitExited(pid int) {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != syscall.EINTR {
			return
		}
	}
}
