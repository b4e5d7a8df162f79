package sts

import (
	"context"
	"errors"
	"regexp"
	"time"

	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/shared"
)

// mfaCommandTimeout bounds mfa_token_command: long enough for a person to touch a
// hardware key or unlock a password manager, short enough that a hung command does not
// hold a refresh forever. A variable only so that a test can shorten it.
var mfaCommandTimeout = 2 * time.Minute

// mfaOutputLimit caps how much of the command's output is kept; a code is 6 bytes.
const mfaOutputLimit = 64 << 10

// mfaCode matches a 6-digit one-time code standing on its own.
var mfaCode = regexp.MustCompile(`\b\d{6}\b`)

// extractMFACode returns the last 6-digit number in out, so that a command may print a
// prompt or a banner before the code.
func extractMFACode(out []byte) (string, bool) {
	all := mfaCode.FindAll(out, -1)
	if len(all) == 0 {
		return "", false
	}
	return string(all[len(all)-1]), true
}

// mfaTokenCode runs command with `sh -c` and returns the code it prints. Its standard
// output is captured (a plugin's stdout belongs to go-plugin), its standard error goes
// to this process's stderr and from there to the host's log. Neither the output nor the
// code ever appears in an error. The command's environment is the minimal one, the
// variables named in inherit and env's (see shellcmd.Environ): never the base
// credentials that sign AssumeRole, unless the role names them.
func mfaTokenCode(ctx context.Context, command string, inherit []string, env map[string]string) (string, error) {
	// shellcmd runs it in a process group of its own, killed whole at the time limit
	// and when this process dies.
	out, err := shellcmd.Run(ctx, shellcmd.Command{
		Line:      command,
		Inherit:   inherit,
		Env:       shellcmd.EnvPairs(env),
		Timeout:   mfaCommandTimeout,
		MaxOutput: mfaOutputLimit,
	})
	var timeout *shellcmd.TimeoutError
	switch {
	case ctx.Err() != nil:
		return "", shared.Retryable("Canceled", "the refresh was cancelled while mfa_token_command ran: %v", ctx.Err())
	case errors.As(err, &timeout):
		return "", shared.Permanent("MFATokenCommandTimeout", "mfa_token_command did not finish within %v", mfaCommandTimeout)
	case err != nil:
		return "", shared.Permanent("MFATokenCommandFailed", "mfa_token_command failed: %v (its standard error is in the brs log)", err)
	}
	code, ok := extractMFACode(out)
	if !ok {
		return "", shared.Permanent("MFATokenCommandFailed", "mfa_token_command printed no 6-digit code")
	}
	return code, nil
}
