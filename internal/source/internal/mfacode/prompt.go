package mfacode

import (
	"context"
	"regexp"

	"github.com/brs-go/brs/shared"
)

// typedCode is what a person may type at the prompt: six digits, nothing else.
var typedCode = regexp.MustCompile(`^\d{6}$`)

// maxLine caps the line read at the prompt; a code is 6 bytes.
const maxLine = 256

// Get returns the MFA code for the device serial of role: from c when it has a
// command line, else from the person at this process's controlling terminal (see
// Prompt). Errors are *shared.Error: retryable when ctx ended, permanent otherwise.
func Get(ctx context.Context, role, serial string, c Command) (string, error) {
	if c.Line != "" {
		return Run(ctx, c)
	}
	return Prompt(ctx, role, serial)
}

// Prompt asks for the code of the MFA device serial on the controlling terminal
// (/dev/tty), with echo off, and reads one line until ctx ends. The process need not
// be in the terminal's foreground process group (a plugin leads a group of its own):
// when its parent's group is in the foreground it takes the terminal for the prompt
// and gives it back. Without a controlling terminal (the agent, a service, CI), or
// when brs runs in the background, the error names role and says to set
// mfa_token_command. What was typed never appears in an error.
func Prompt(ctx context.Context, role, serial string) (string, error) {
	promptMu.Lock()
	defer promptMu.Unlock()
	line, err := readTerminal(ctx, role, "MFA code for "+serial+": ")
	switch {
	case ctx.Err() != nil:
		return "", shared.Retryable("Canceled", "the refresh was cancelled while waiting for the MFA code for %s at the terminal: %v", serial, ctx.Err())
	case err != nil:
		return "", err
	}
	if !typedCode.MatchString(line) {
		return "", shared.Permanent("MFACodeInvalid", "role %q: what was typed for the MFA device %s is not a 6-digit code", role, serial)
	}
	return line, nil
}

// noTerminal is the error of a role that needs a code and has neither a command nor a
// terminal to ask on; why says which.
func noTerminal(role, why string) *shared.Error {
	return shared.Permanent("MFAPromptUnavailable",
		"role %q needs an MFA code and has no mfa_token_command, and %s: set mfa_token_command, "+
			"or run brs from a terminal, in the foreground, without the agent (brs exec, or BRS_AGENT=off)", role, why)
}
