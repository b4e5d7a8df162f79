package host

// SetBinaryOpened sets a function called with a plugin binary's path after the binary
// was opened, checked and hashed, just before it runs, and returns a function that
// removes it.
func SetBinaryOpened(f func(path string)) (reset func()) {
	binaryOpened = f
	return func() { binaryOpened = nil }
}
