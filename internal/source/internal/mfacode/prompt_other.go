//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package mfacode

import (
	"context"
	"sync"

	"github.com/brs-go/brs/shared"
)

// promptMu makes the prompts of concurrent refreshes in this process take turns.
var promptMu sync.Mutex

// readTerminal has no terminal to read on this platform.
func readTerminal(_ context.Context, role, _ string) (string, error) {
	return "", shared.Permanent("MFAPromptUnavailable",
		"role %q needs an MFA code and has no mfa_token_command, and brs cannot ask for it at the terminal on this platform: set mfa_token_command", role)
}
