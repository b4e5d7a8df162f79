//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package mfacode

import (
	"context"
	"sync"
)

// promptMu makes the prompts of concurrent refreshes in this process take turns.
var promptMu sync.Mutex

// readTerminal has no terminal to read on this platform.
func readTerminal(_ context.Context, role, _ string) (string, error) {
	return "", noTerminal(role, "brs cannot prompt for it on this platform")
}
