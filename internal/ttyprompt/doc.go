// Package ttyprompt asks a person one question at the process's controlling terminal
// (/dev/tty), with echo off for a secret, in the way ssh and sudo do: the terminal's
// modes and foreground process group are as they were when it returns, however the
// question ends (an answer, Ctrl-C, a deadline). The MFA prompt of the session and sts
// plugins and the agent's clients use it.
package ttyprompt

import (
	"context"
	"errors"
)

// ErrInterrupted is returned when Ctrl-C ended the question.
var ErrInterrupted = errors.New("interrupted (Ctrl-C)")

// ErrNoInput is returned when the terminal reached the end of input before a line.
var ErrNoInput = errors.New("end of input before an answer")

// ErrTooLong is returned for a line longer than the bound it was read with.
var ErrTooLong = errors.New("the line typed is too long")

// UnavailableError says why the question cannot be asked at the terminal.
type UnavailableError struct{ Why string }

func (e *UnavailableError) Error() string { return e.Why }

// Options are the ways a question is asked.
type Options struct {
	// Echo shows what is typed; false (a secret) hides it.
	Echo bool
	// MaxLine bounds the line read, in bytes; 0 means 1 KiB.
	MaxLine int
	// Lock, if set, is held while the question is asked: processes that share the
	// terminal take turns.
	Lock func(ctx context.Context) (unlock func(), err error)
	// LendFromParent lets a process outside the terminal's foreground group ask when
	// its parent's group is the foreground one (a plugin that leads a group of its
	// own): it takes the terminal for the question and gives it back.
	LendFromParent bool
}
