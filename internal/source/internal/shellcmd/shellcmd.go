package shellcmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/brs-go/brs/internal/proc"
)

// waitDelay bounds the wait for the command's stdout to close once sh has exited or
// been killed: a child left running in the background, or one that left the process
// group (setsid), may hold it open. A variable only so that a test can shorten it.
var waitDelay = 5 * time.Second

// killGrace is how long a command that is stopped (its time limit passed, or the
// caller gave up) has between SIGTERM and SIGKILL. A variable only so that a test can
// change it.
var killGrace = 2 * time.Second

// Command is a shell command line and how to run it.
type Command struct {
	// Line is the command line, run with `sh -c`.
	Line string
	// Dir is the working directory; empty for the plugin's.
	Dir string
	// Inherit names the variables of this process's environment that the command
	// gets besides the minimal environment (see Environ).
	Inherit []string
	// Env holds KEY=VALUE entries added to the environment; they win over inherited
	// ones.
	Env []string
	// Timeout bounds the run; it must be positive.
	Timeout time.Duration
	// MaxOutput is how many bytes of standard output are kept; more is an
	// ErrOutputTooLarge.
	MaxOutput int
	// Stderr receives the command's standard error; nil means os.Stderr as it is when
	// Run is called (inside plugin.Serve, a pipe to the host's log). It is written
	// whole lines at a time: a line longer than MaxStderrLine is replaced by a note,
	// and past MaxStderr bytes the rest is dropped.
	Stderr io.Writer
	// Redact, if set, holds the command's standard error until the command has
	// ended, and is given it with what the command printed on standard output; what
	// it returns is written to Stderr instead. A command that prints a secret on
	// standard output (a token) may print it on standard error too, and only the
	// caller knows the secret.
	Redact func(stderr, stdout []byte) []byte
}

// ErrOutputTooLarge is returned when the command prints more than MaxOutput bytes.
var ErrOutputTooLarge = errors.New("printed more than the output limit")

// TimeoutError is returned when the command outlives its Timeout.
type TimeoutError struct {
	// Timeout is the limit that passed.
	Timeout time.Duration
}

// Error says how long the command was given.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("did not finish within %v and was killed", e.Timeout)
}

// ExitError is returned when the command exits with a non-zero status or is killed by
// a signal that Run did not send.
type ExitError struct {
	// Code is the exit status, or -1 when a signal ended the command.
	Code int
	// Signal is the signal that ended the command, if one did.
	Signal syscall.Signal
}

// Error gives the exit status or the signal, never the command's output.
func (e *ExitError) Error() string {
	switch {
	case e.Code == -1:
		return fmt.Sprintf("was killed by signal %v", e.Signal)
	case e.Code == 127:
		return "exited with status 127 (command not found)"
	case e.Code == 126:
		return "exited with status 126 (command not executable)"
	}
	return fmt.Sprintf("exited with status %d", e.Code)
}

// StartError is returned when the command cannot be started at all, e.g. because Dir
// does not exist.
type StartError struct {
	Err error
}

// Error gives the cause.
func (e *StartError) Error() string { return "could not be started: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *StartError) Unwrap() error { return e.Err }

// Run runs c and returns what it printed on standard output. The error is a
// *TimeoutError, *ExitError, *StartError, ErrOutputTooLarge, or the context's error
// when ctx ended first (wrapped, so errors.Is(err, context.Canceled) and
// context.DeadlineExceeded work).
func Run(ctx context.Context, c Command) ([]byte, error) {
	if c.Timeout <= 0 {
		return nil, &StartError{Err: errors.New("no time limit given")}
	}
	if c.Dir != "" {
		// Checked here because exec reports a missing directory as a missing sh.
		if fi, err := os.Stat(c.Dir); err != nil {
			return nil, &StartError{Err: fmt.Errorf("working directory: %w", err)}
		} else if !fi.IsDir() {
			return nil, &StartError{Err: fmt.Errorf("working directory %s is not a directory", c.Dir)}
		}
	}
	runCtx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()

	out := &limitedBuffer{max: c.MaxOutput}
	cmd := exec.Command("sh", "-c", c.Line)
	cmd.Dir = c.Dir
	cmd.Env = Environ(c.Inherit, c.Env)
	cmd.Stdout = out
	stderr := &stderrWriter{w: c.Stderr, hold: c.Redact != nil}
	if stderr.w == nil {
		stderr.w = os.Stderr
	}
	cmd.Stderr = stderr
	cmd.WaitDelay = waitDelay

	// sh leads a process group of its own, so that stopping it stops what it started
	// too (a pipeline, a `sleep` in a retry loop); it gets SIGKILL if this process
	// dies; and when it exits, what is left of its group is killed.
	g, err := proc.StartGroup(cmd)
	if err == nil {
		select {
		case <-g.Done():
		case <-runCtx.Done():
			_ = g.Stop(killGrace)
		}
		err = g.Wait()
	}
	stderr.finish(func(held []byte) []byte {
		if c.Redact == nil {
			return held
		}
		return c.Redact(held, out.buf.Bytes())
	})
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("cancelled: %w", ctx.Err())
	case runCtx.Err() != nil:
		return nil, &TimeoutError{Timeout: c.Timeout}
	}
	var exit *exec.ExitError
	switch {
	case errors.Is(err, exec.ErrWaitDelay):
		// sh exited with status 0 but something it started kept stdout open; what
		// was printed before sh exited is the answer.
	case errors.As(err, &exit):
		ws, _ := exit.Sys().(syscall.WaitStatus)
		if ws.Signaled() {
			return nil, &ExitError{Code: -1, Signal: ws.Signal()}
		}
		return nil, &ExitError{Code: exit.ExitCode()}
	case err != nil:
		return nil, &StartError{Err: err}
	}
	if out.overflow {
		return nil, ErrOutputTooLarge
	}
	return out.buf.Bytes(), nil
}

// limitedBuffer keeps the first max bytes written to it and notes that more came,
// without failing the write (which would kill the command with SIGPIPE and hide the
// real problem).
type limitedBuffer struct {
	buf      bytes.Buffer
	max      int
	overflow bool
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	keep := p
	if room := l.max - l.buf.Len(); len(p) > room {
		l.overflow = true
		keep = p[:max(room, 0)]
	}
	l.buf.Write(keep)
	return len(p), nil
}
