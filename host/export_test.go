package host

import (
	"context"

	"github.com/brs-go/brs/shared"
)

// SetBinaryOpened sets a function called with a plugin binary's path after the binary
// was opened, checked and hashed, just before it runs, and returns a function that
// removes it.
func SetBinaryOpened(f func(path string)) (reset func()) {
	binaryOpened = f
	return func() { binaryOpened = nil }
}

// CallPlugin runs fn on the plugin serving source, as a refresh calls it.
func CallPlugin(ctx context.Context, h *Host, source string, fn func(shared.Refresher) error) error {
	return h.plugins[source].call(ctx, "Refresh", fn)
}
