//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package ttyprompt

import "context"

// Ask cannot ask at a terminal on this platform.
func Ask(context.Context, string, Options) (string, error) {
	return "", &UnavailableError{"brs cannot ask at the terminal on this platform"}
}

// Available reports whether Ask can ask here: never on this platform.
func Available() bool { return false }
