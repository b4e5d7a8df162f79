//go:build !windows

package host

// ForceCopyExec makes plugins run from a private copy of their binary, as where there
// is no /proc, and returns a function that restores the default.
func ForceCopyExec() (reset func()) {
	saved := execFromFD
	execFromFD = func() bool { return false }
	return func() { execFromFD = saved }
}
