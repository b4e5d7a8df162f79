//go:build unix && !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

// inForeground reports false where brs cannot tell: every signal is forwarded.
func inForeground() bool { return false }
