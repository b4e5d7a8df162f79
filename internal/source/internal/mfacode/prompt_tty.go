//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package mfacode

import (
	"context"
	"errors"
	"sync"

	"github.com/brs-go/brs/internal/ttyprompt"
	"github.com/brs-go/brs/shared"
)

// promptMu makes the prompts of concurrent refreshes in this process take turns.
var promptMu sync.Mutex

// readTerminal writes prompt to the controlling terminal and reads one line from it
// with echo off, until ctx ends or Ctrl-C is pressed (ttyprompt.Ask), taking turns
// with the other plugins of the terminal session, and lending the terminal from
// brs, the plugin's parent. It returns the line without its line end.
func readTerminal(ctx context.Context, role, prompt string) (string, error) {
	line, err := ttyprompt.Ask(ctx, prompt, ttyprompt.Options{MaxLine: maxLine, Lock: lockSession, LendFromParent: true})
	var ue *ttyprompt.UnavailableError
	switch {
	case err == nil:
		return line, nil
	case errors.As(err, &ue):
		return "", noTerminal(role, ue.Why)
	case errors.Is(err, ttyprompt.ErrInterrupted):
		return "", shared.Permanent("MFAPromptInterrupted", "the MFA prompt was interrupted (Ctrl-C)")
	case errors.Is(err, ttyprompt.ErrNoInput):
		return "", shared.Permanent("MFACodeMissing", "no MFA code was typed at the terminal (end of input)")
	case errors.Is(err, ttyprompt.ErrTooLong):
		return "", shared.Permanent("MFACodeInvalid", "the line typed at the MFA prompt is longer than %d bytes", maxLine)
	}
	return "", err
}
