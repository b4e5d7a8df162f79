// Package sourcetest holds the small helpers that the tests of several built-in
// sources share: a config block from attributes, a check of a *shared.Error, a buffer
// that the host's or go-plugin's goroutines can write while a test reads it, and a
// host loaded with a real plugin binary.
package sourcetest
