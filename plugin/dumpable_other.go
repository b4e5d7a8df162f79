//go:build !linux

package plugin

// disableDumping does nothing outside Linux.
func disableDumping() error { return nil }
