// Package mfacode gets the one-time MFA code that the sts and session sources send to
// STS: from the role's mfa_token_command, or, when the role has none, from the person
// at the controlling terminal.
//
// The command runs with `sh -c` through shellcmd (a process group of its own, killed
// whole at the time limit, without go-plugin's variables); its standard output is
// read for the code, its standard error goes to the host's log. Its environment is the
// minimal one, the variables named in Inherit and those of Env (see shellcmd.Environ):
// never the base credentials that sign the STS call, unless the role names them.
// Neither the output nor the code ever appears in an error.
package mfacode

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/shared"
)

// Timeout bounds the command: long enough for a person to touch a hardware key or
// unlock a password manager, short enough that a hung command does not hold a refresh
// forever. A variable only so that a test can shorten it.
var Timeout = 2 * time.Minute

// outputLimit caps how much of the command's output is kept; a code is 6 bytes.
const outputLimit = 64 << 10

// code matches a 6-digit one-time code standing on its own.
var code = regexp.MustCompile(`\b\d{6}\b`)

// Extract returns the last 6-digit number in out, so that a command may print a
// prompt or a banner before the code.
func Extract(out []byte) (string, bool) {
	all := code.FindAll(out, -1)
	if len(all) == 0 {
		return "", false
	}
	return string(all[len(all)-1]), true
}

// Command is an mfa_token_command and its environment.
type Command struct {
	// Line is the command line, run with `sh -c`.
	Line string
	// Inherit names variables of this process's environment the command gets as they
	// are (the role's inherit_env).
	Inherit []string
	// Env holds variables set for the command (the role's env).
	Env map[string]string
}

// Run runs c and returns the code it prints, or a *shared.Error: retryable when ctx
// ended, permanent otherwise.
func Run(ctx context.Context, c Command) (string, error) {
	out, err := shellcmd.Run(ctx, shellcmd.Command{
		Line:      c.Line,
		Inherit:   c.Inherit,
		Env:       shellcmd.EnvPairs(c.Env),
		Timeout:   Timeout,
		MaxOutput: outputLimit,
	})
	var timeout *shellcmd.TimeoutError
	switch {
	case ctx.Err() != nil:
		return "", shared.Retryable("Canceled", "the refresh was cancelled while mfa_token_command ran: %v", ctx.Err())
	case errors.As(err, &timeout):
		return "", shared.Permanent("MFATokenCommandTimeout", "mfa_token_command did not finish within %v", Timeout)
	case err != nil:
		return "", shared.Permanent("MFATokenCommandFailed", "mfa_token_command failed: %v (its standard error is in the brs log)", err)
	}
	got, ok := Extract(out)
	if !ok {
		return "", shared.Permanent("MFATokenCommandFailed", "mfa_token_command printed no 6-digit code")
	}
	return got, nil
}

// serialChars matches STS's SerialNumber alphabet.
var serialChars = regexp.MustCompile(`^[\w+=/:,.@-]*$`)

// Check returns the diagnostics of a role's mfa_serial, mfa_token_command, env and
// inherit_env attributes. A serial without a command is valid: the code is then asked
// for at the terminal (see Prompt).
func Check(serial, command string, env map[string]string, inherit []string) shared.Diagnostics {
	var ds shared.Diagnostics
	if serial == "" && command != "" {
		ds = append(ds, shared.ErrorDiag("mfa_serial", "Missing MFA serial", "mfa_token_command is set, so mfa_serial must be set too: the serial number or ARN of the MFA device."))
	}
	ds = append(ds, shellcmd.ValidateEnv("env", env, "inherit_env", inherit)...)
	if command == "" && (len(env) > 0 || len(inherit) > 0) {
		ds = append(ds, shared.WarningDiag("env", "Environment without a command",
			"env and inherit_env are the environment of mfa_token_command, which is not set: they are not used."))
	}
	if serial != "" && (len(serial) < 9 || len(serial) > 256 || !serialChars.MatchString(serial)) {
		ds = append(ds, shared.ErrorDiag("mfa_serial", "Invalid MFA serial", "mfa_serial must be the 9 to 256 character serial number or ARN of an MFA device, e.g. arn:aws:iam::111122223333:mfa/alice."))
	}
	return ds
}
