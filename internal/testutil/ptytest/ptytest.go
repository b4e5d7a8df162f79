//go:build linux

package ptytest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// PTY is a pseudo-terminal: the test holds its master side.
type PTY struct {
	t      testing.TB
	master *os.File
	slave  *os.File

	mu      sync.Mutex
	out     bytes.Buffer  // everything written to the terminal so far
	changed chan struct{} // closed and replaced when out grows or the reader ends
	done    bool
}

// Open opens a new pseudo-terminal (/dev/ptmx, unlocked, its slave opened without
// becoming this process's terminal) and starts reading what is written to it. Both
// sides are closed at the end of the test.
func Open(t testing.TB) *PTY {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	var n int
	ctl := func(f func(fd int) error) {
		rc, err := master.SyscallConn()
		if err == nil {
			err = rc.Control(func(fd uintptr) { err = f(int(fd)) })
		}
		if err != nil {
			master.Close()
			t.Fatalf("pseudo-terminal ioctl: %v", err)
		}
	}
	ctl(func(fd int) error { return unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0) }) // unlockpt
	ctl(func(fd int) (err error) { n, err = unix.IoctlGetInt(fd, unix.TIOCGPTN); return err })
	slave, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Fatalf("open the pseudo-terminal's slave: %v", err)
	}
	p := &PTY{t: t, master: master, slave: slave, changed: make(chan struct{})}
	go p.read()
	t.Cleanup(func() {
		slave.Close()
		master.Close()
	})
	return p
}

func (p *PTY) read() {
	buf := make([]byte, 4096)
	for {
		n, err := p.master.Read(buf)
		p.mu.Lock()
		p.out.Write(buf[:n])
		if err != nil {
			p.done = true
		}
		close(p.changed)
		p.changed = make(chan struct{})
		p.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// Start starts cmd in a new session whose controlling terminal is the pseudo-terminal,
// with it as standard input, and as standard output and error where cmd sets none.
// cmd's process group is then the terminal's foreground group.
func (p *PTY) Start(cmd *exec.Cmd) error {
	cmd.Stdin = p.slave
	if cmd.Stdout == nil {
		cmd.Stdout = p.slave
	}
	if cmd.Stderr == nil {
		cmd.Stderr = p.slave
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setsid = true
	cmd.SysProcAttr.Setctty = true
	cmd.SysProcAttr.Ctty = 0 // the child's standard input
	return cmd.Start()
}

// Output returns everything written to the terminal so far.
func (p *PTY) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// WaitFor waits until the terminal's output holds s, and fails the test if it does
// not within timeout.
func (p *PTY) WaitFor(s string, timeout time.Duration) {
	p.t.Helper()
	p.WaitForCount(s, 1, timeout)
}

// WaitForCount waits until the terminal's output holds s n times, and fails the test
// if it does not within timeout.
func (p *PTY) WaitForCount(s string, n int, timeout time.Duration) {
	p.t.Helper()
	deadline := time.After(timeout)
	for {
		p.mu.Lock()
		got, changed, done := p.out.String(), p.changed, p.done
		p.mu.Unlock()
		if bytes.Count([]byte(got), []byte(s)) >= n {
			return
		}
		if done {
			p.t.Fatalf("the terminal closed without showing %q; it showed %q", s, got)
		}
		select {
		case <-changed:
		case <-deadline:
			p.t.Fatalf("the terminal did not show %q within %v; it showed %q", s, timeout, got)
		}
	}
}

// Type writes s to the terminal as if typed on its keyboard.
func (p *PTY) Type(s string) {
	p.t.Helper()
	if _, err := p.master.WriteString(s); err != nil {
		p.t.Fatalf("type on the pseudo-terminal: %v", err)
	}
}

// String names the terminal's slave, for messages.
func (p *PTY) String() string { return fmt.Sprint(p.slave.Name()) }

// Run starts cmd as Start does and returns a function that waits for it to exit and
// returns cmd.Wait's error, failing the test if it runs longer than timeout. The
// process is killed at the end of the test if it still runs.
func (p *PTY) Run(cmd *exec.Cmd) func(timeout time.Duration) error {
	p.t.Helper()
	if err := p.Start(cmd); err != nil {
		p.t.Fatalf("start %s on the pseudo-terminal: %v", cmd.Path, err)
	}
	return Wait(p.t, cmd)
}

// Wait returns a function that waits for the started cmd as Run's does.
func Wait(t testing.TB, cmd *exec.Cmd) func(timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		done <- <-done
	})
	return func(timeout time.Duration) error {
		t.Helper()
		select {
		case err := <-done:
			done <- err
			return err
		case <-time.After(timeout):
			t.Fatalf("%s did not exit within %v", cmd.Path, timeout)
			return nil
		}
	}
}
