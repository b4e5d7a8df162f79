//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package ttyprompt

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// mu makes the questions of concurrent callers in this process take turns.
var mu sync.Mutex

// errInterrupted is the cause of a read ended by Ctrl-C.
var errInterrupted = errors.New("interrupted")

// Ask writes prompt to the controlling terminal and reads one line from it, until
// ctx ends or Ctrl-C is pressed. It returns the line without its line end; what was
// typed is in no error. Without a terminal (a service, CI, the agent), or outside the
// terminal's foreground, it returns an *UnavailableError.
func Ask(ctx context.Context, prompt string, o Options) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	max := o.MaxLine
	if max <= 0 {
		max = 1 << 10
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", &UnavailableError{"there is no terminal to ask on (the brs agent, services and CI have none)"}
	}
	defer tty.Close()
	if o.Lock != nil {
		unlock, err := o.Lock(ctx)
		if err != nil {
			return "", err
		}
		defer unlock()
	}
	rc, err := tty.SyscallConn()
	if err != nil {
		return "", &UnavailableError{"the terminal cannot be used: " + err.Error()}
	}
	ioctl := func(f func(fd int) error) error {
		var ferr error
		if err := rc.Control(func(fd uintptr) { ferr = f(int(fd)) }); err != nil {
			return err
		}
		return ferr
	}

	// A process outside the foreground group that changes the terminal gets SIGTTOU,
	// and stops; ignored, the change is allowed.
	if !signal.Ignored(syscall.SIGTTOU) {
		signal.Ignore(syscall.SIGTTOU)
		defer signal.Reset(syscall.SIGTTOU)
	}
	var fg int
	if err := ioctl(func(fd int) (err error) { fg, err = unix.IoctlGetInt(fd, unix.TIOCGPGRP); return err }); err != nil {
		return "", &UnavailableError{"the terminal's foreground process group is unknown: " + err.Error()}
	}
	if own := unix.Getpgrp(); fg != own {
		// Reading from the terminal outside its foreground group stops the process
		// (SIGTTIN). The group of the process that started this one may lend the
		// terminal (a plugin of brs); any other may not: brs runs in the background,
		// and the terminal is the shell's.
		if !o.LendFromParent {
			return "", &UnavailableError{"brs is not in the terminal's foreground"}
		}
		parent, err := unix.Getpgid(unix.Getppid())
		if err != nil || parent != fg {
			return "", &UnavailableError{"brs is not in the terminal's foreground"}
		}
		if err := ioctl(func(fd int) error { return unix.IoctlSetPointerInt(fd, unix.TIOCSPGRP, own) }); err != nil {
			return "", &UnavailableError{"the terminal could not be taken for the prompt: " + err.Error()}
		}
		defer func() { _ = ioctl(func(fd int) error { return unix.IoctlSetPointerInt(fd, unix.TIOCSPGRP, fg) }) }()
	}

	// Echo off for a secret (but the line end, so that what follows starts on a new
	// line), line editing on; what was typed before the prompt is discarded.
	var old *unix.Termios
	if err := ioctl(func(fd int) (err error) { old, err = unix.IoctlGetTermios(fd, ioctlGetTermios); return err }); err != nil {
		return "", &UnavailableError{"its terminal modes cannot be read: " + err.Error()}
	}
	quiet := *old
	if !o.Echo {
		quiet.Lflag &^= unix.ECHO
		quiet.Lflag |= unix.ECHONL
	}
	quiet.Lflag |= unix.ICANON | unix.ISIG
	if err := ioctl(func(fd int) error { return unix.IoctlSetTermios(fd, ioctlSetTermiosFlush, &quiet) }); err != nil {
		return "", &UnavailableError{"echo cannot be turned off: " + err.Error()}
	}
	defer func() { _ = ioctl(func(fd int) error { return unix.IoctlSetTermios(fd, ioctlSetTermios, old) }) }()

	// Ctrl-C at the prompt reaches this process's group: it ends the question (and
	// the modes are restored) instead of killing the process with echo off.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	intr := make(chan os.Signal, 1)
	signal.Notify(intr, os.Interrupt)
	defer signal.Stop(intr)
	go func() {
		select {
		case <-intr:
			cancel(errInterrupted)
		case <-ctx.Done():
		}
	}()
	// The end of ctx ends the read: a deadline in the past where the terminal is
	// polled, else closing it.
	stop := context.AfterFunc(ctx, func() {
		if tty.SetReadDeadline(time.Now()) != nil {
			_ = tty.Close()
		}
	})
	defer stop()

	if _, err := tty.WriteString(prompt); err != nil {
		return "", &UnavailableError{"the prompt could not be written: " + err.Error()}
	}
	var line []byte
	buf := make([]byte, max)
	for {
		n, err := tty.Read(buf)
		line = append(line, buf[:n]...)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			clear(buf)
			return string(bytes.TrimRight(line[:i], "\r")), nil
		}
		switch {
		case context.Cause(ctx) == errInterrupted:
			return "", ErrInterrupted
		case ctx.Err() != nil:
			_, _ = tty.WriteString("\n") // what follows starts on a line of its own
			return "", ctx.Err()
		case err != nil || n == 0:
			return "", ErrNoInput
		case len(line) > max:
			return "", ErrTooLong
		}
	}
}

// Available reports whether Ask can ask here: the process has a controlling terminal
// and is in its foreground process group.
func Available() bool {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer tty.Close()
	fg, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && fg == unix.Getpgrp()
}
