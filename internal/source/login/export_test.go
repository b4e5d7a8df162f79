package login

// SetWriteToken replaces how r saves a renewed token, for tests that make it fail.
func SetWriteToken(r *Refresher, f func(path string) error) {
	r.writeToken = func(path string, _ *cachedToken) error { return f(path) }
}
