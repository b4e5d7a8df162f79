package host_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/shared"
)

// firstThenDenied is an in-process source (host.WithRefresher, the library's own way
// to run a source without a plugin): its first refresh gives credentials valid for an
// hour on clk, every later one fails with a permanent AccessDenied.
type firstThenDenied struct {
	clk   *clock.Fake
	calls atomic.Int32
}

func (f *firstThenDenied) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "first a key, then denied"}}, nil
}
func (f *firstThenDenied) Validate(context.Context, *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	return &shared.ValidateResponse{}, nil
}
func (f *firstThenDenied) Refresh(context.Context, *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	if f.calls.Add(1) == 1 {
		return &shared.RefreshResponse{Credentials: shared.Credentials{AccessKeyID: "AKIDFIRST", SecretAccessKey: "first-secret-key",
			Expires: f.clk.Now().Add(time.Hour)}}, nil
	}
	return nil, shared.Permanent("AccessDenied", "denied")
}

// TestRefreshFailureLoggedOnce checks who says a failed refresh: when the caller
// waiting for it gets the error, the host logs it at debug only (the caller prints
// it; a warning would say it twice); when the caller gets the still-valid cached
// credentials instead, nobody else says it, and the host warns.
func TestRefreshFailureLoggedOnce(t *testing.T) {
	clk := clock.NewFake(time.Now())
	var logs logBuffer
	h := load(t, "role \"a\" {\n  source = \"denied\"\n}\n",
		host.WithRefresher("denied", &firstThenDenied{clk: clk}), host.WithClock(clk), host.WithLogger(newLogger(&logs)))
	ctx := context.Background()
	if _, err := h.Credentials(ctx, "a"); err != nil {
		t.Fatal(err)
	}

	// Inside the mandatory window, still valid: the caller gets the cached
	// credentials, the failure is a warning.
	clk.Advance(time.Hour - 30*time.Second)
	if c, err := h.Credentials(ctx, "a"); err != nil || c.AccessKeyID != "AKIDFIRST" {
		t.Fatalf("in the mandatory window: %v, %v", c.AccessKeyID, err)
	}
	if n := strings.Count(logs.String(), "[WARN]  brs: refresh failed"); n != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", n, logs.String())
	}

	// Expired, and past the permanent hold: the caller gets the error, the log
	// does not repeat it as a warning.
	clk.Advance(2 * time.Minute)
	if _, err := h.Credentials(ctx, "a"); err == nil || !strings.Contains(err.Error(), "denied") {
		t.Fatalf("after expiry: %v", err)
	}
	if n := strings.Count(logs.String(), "[WARN]  brs: refresh failed"); n != 1 {
		t.Errorf("%d warnings, want still 1:\n%s", n, logs.String())
	}
	if n := strings.Count(logs.String(), "[DEBUG] brs: refresh failed"); n != 1 {
		t.Errorf("%d debug lines, want 1:\n%s", n, logs.String())
	}
}
