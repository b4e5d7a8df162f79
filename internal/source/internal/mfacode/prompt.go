package mfacode

import (
	"context"
	"errors"
	"regexp"

	"github.com/brs-go/brs/shared"
)

// typedCode is what a person may type at the prompt: six digits, nothing else.
var typedCode = regexp.MustCompile(`^\d{6}$`)

// maxLine caps the line read at the prompt; a code is 6 bytes.
const maxLine = 256

// Get returns the MFA code for the device serial of role: from c when it has a
// command line; else the answer the host's caller gave to the prompt PromptID(serial)
// (answers are the refresh's); else from the person at this process's controlling
// terminal (see Prompt). Without a terminal (a plugin of the agent) it returns an
// InputRequired error with that prompt, which a host whose caller has a terminal
// asks there. Errors are *shared.Error: retryable when ctx ended, permanent otherwise.
func Get(ctx context.Context, role, serial string, c Command, answers map[string]string) (string, error) {
	if c.Line != "" {
		return Run(ctx, c)
	}
	if a, ok := answers[PromptID(serial)]; ok {
		if !typedCode.MatchString(a) {
			return "", shared.Permanent("MFACodeInvalid", "role %q: what was typed for the MFA device %s is not a 6-digit code", role, serial)
		}
		return a, nil
	}
	code, err := Prompt(ctx, role, serial)
	if se := (*shared.Error)(nil); errors.As(err, &se) && se.Code == "MFAPromptUnavailable" {
		return "", shared.InputRequired(se.Message, shared.Prompt{ID: PromptID(serial), Text: promptText(serial), Secret: true})
	}
	return code, err
}

// PromptID is the id of the prompt for the code of the MFA device serial.
func PromptID(serial string) string { return "mfa:" + serial }

// promptText is what the terminal shows when it asks for the code of serial.
func promptText(serial string) string { return "MFA code for " + serial + ": " }

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
	line, err := readTerminal(ctx, role, promptText(serial))
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
			"or run brs from a terminal, in the foreground", role, why)
}
