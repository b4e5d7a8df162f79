package session

import (
	"context"
	"testing"

	"github.com/brs-go/brs/shared"
)

// TestMFACommandMarked: mfa_token_command is marked Command, so the host refuses
// values from env() and file() in it (a command line is readable by every local user).
func TestMFACommandMarked(t *testing.T) {
	resp, err := New().Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	a, ok := resp.Schema.Attribute("mfa_token_command")
	if !ok || !a.Command {
		t.Fatalf("mfa_token_command = %+v, want Command", a)
	}
}
