package host_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/shared"
)

// counting is an in-process source that counts refreshes and holds each one until
// released.
type counting struct {
	calls   atomic.Int64
	release chan struct{}
}

func (*counting) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "counts"}}, nil
}
func (*counting) Validate(context.Context, *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	return &shared.ValidateResponse{}, nil
}
func (c *counting) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	creds, err := c.refresh(ctx, req)
	if err != nil {
		return nil, err
	}
	return &shared.RefreshResponse{Credentials: creds}, nil
}

func (c *counting) refresh(ctx context.Context, _ *shared.RefreshRequest) (shared.Credentials, error) {
	c.calls.Add(1)
	<-c.release
	return shared.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret", Expires: time.Now().Add(time.Hour)}, nil
}

// TestThousandCallersOneRefresh: 1,000 goroutines calling Retrieve on a role with
// nothing cached cause exactly one Refresh, and all get its credentials.
func TestThousandCallersOneRefresh(t *testing.T) {
	src := &counting{release: make(chan struct{})}
	h := load(t, `role "a" {
  source = "count"
}`, host.WithRefresher("count", src))
	p, _ := h.Provider("a")
	var started, done sync.WaitGroup
	started.Add(1000)
	done.Add(1000)
	var failed atomic.Int64
	for range 1000 {
		go func() {
			defer done.Done()
			started.Done()
			if c, err := p.Retrieve(context.Background()); err != nil || c.AccessKeyID != "AKID" {
				failed.Add(1)
			}
		}()
	}
	started.Wait()
	close(src.release)
	done.Wait()
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("%d refreshes for 1,000 callers, want 1", n)
	}
	if n := failed.Load(); n != 0 {
		t.Fatalf("%d callers failed", n)
	}
}
