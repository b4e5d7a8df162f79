package agent

import (
	"context"
	"errors"
	"testing"
)

// TestUnsupportedSaysWhy: where there is no agent, Listen, Start and Call refuse with
// ErrUnsupported and Unsupported says why; where there is one, Unsupported is empty.
func TestUnsupportedSaysWhy(t *testing.T) {
	if peerCheck {
		if Unsupported != "" {
			t.Fatalf("Unsupported = %q on a platform with peer credentials", Unsupported)
		}
		return
	}
	if Unsupported == "" {
		t.Fatal("no peer credentials here, yet Unsupported is empty")
	}
	if _, err := Listen(Config{Socket: t.TempDir() + "/agent.sock"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Listen: %v, want ErrUnsupported", err)
	}
	if _, err := Call(context.Background(), t.TempDir()+"/agent.sock", Request{Op: OpInfo}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Call: %v, want ErrUnsupported", err)
	}
	if err := Start(context.Background(), "brs", nil, nil, t.TempDir()+"/agent.sock", ""); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Start: %v, want ErrUnsupported", err)
	}
}
