package renewal_test

import (
	"context"
	"errors"
	"testing"

	"github.com/brs-go/brs/internal/source/internal/renewal"
)

func TestLockIsPerFile(t *testing.T) {
	var f renewal.Files[string]
	ctx := context.Background()
	unlock, err := f.Lock(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	// Another file's lock is free while a's is held.
	unlockB, err := f.Lock(ctx, "b")
	if err != nil {
		t.Fatalf("lock of b while a is held: %v", err)
	}
	unlockB()
	// a's lock is held: a second taker waits until its context ends.
	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.Lock(ctx2, "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("second lock of a = %v, want context.Canceled while the first is held", err)
	}
	unlock()
	unlock2, err := f.Lock(ctx, "a")
	if err != nil {
		t.Fatalf("lock of a after unlock: %v", err)
	}
	unlock2()
}

func TestRemembered(t *testing.T) {
	var f renewal.Files[*string]
	if got := f.Remembered("a"); got != nil {
		t.Fatalf("Remembered before Remember = %v, want nil", got)
	}
	tok := "t1"
	f.Remember("a", &tok)
	if got := f.Remembered("a"); got != &tok {
		t.Errorf("Remembered(a) = %v, want the remembered token", got)
	}
	if got := f.Remembered("b"); got != nil {
		t.Errorf("Remembered(b) = %v, want nil", got)
	}
}
