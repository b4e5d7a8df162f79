package main

import (
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestRunByHand checks that the binary, started without the host's handshake, says it
// is a plugin and exits non-zero instead of serving.
func TestRunByHand(t *testing.T) {
	defer plugintestbin.Cleanup()
	plugintestbin.RequireRefusesToRunByHand(t, "github.com/brs-go/brs/cmd/brs-plugin-login")
}
