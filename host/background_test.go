package host_test

import (
	"context"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/clock"
)

// TestBackgroundRefreshThroughPlugin: with the host's clock moved into the advisory
// window, the scheduler refreshes through the plugin subprocess in the background while
// callers keep getting the valid credentials at once.
func TestBackgroundRefreshThroughPlugin(t *testing.T) {
	clk := clock.NewFake(time.Now())
	events := make(chan host.RefreshEvent, 10)
	h := load(t, `
plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  refresh {
    advisory  = "10m"
    mandatory = "2m"
  }
}
`, host.WithClock(clk), host.WithOnRefresh(func(e host.RefreshEvent) { events <- e }))
	ctx := context.Background()
	p, _ := h.Provider("a")
	first, err := p.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if e := <-events; e.Background {
		t.Fatal("the first refresh should be a caller's")
	}
	next := h.Status()[0].NextRefresh
	if d := next.Sub(clk.Now()); d < 46*time.Minute || d > 54*time.Minute {
		t.Fatalf("next refresh in %v, want 50m ± 4m of jitter", d)
	}
	clk.Set(next)
	// Whether or not the background refresh has finished, a caller gets valid
	// credentials without waiting for it.
	if c, err := p.Retrieve(ctx); err != nil || c.AccessKeyID == "" {
		t.Fatalf("during the background refresh: %v, %v", c.AccessKeyID, err)
	}
	select {
	case e := <-events:
		if !e.Background || e.Err != nil || e.AccessKeyID == first.AccessKeyID {
			t.Fatalf("background refresh %+v", e)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no background refresh")
	}
	if c, _ := p.Retrieve(ctx); c.AccessKeyID == first.AccessKeyID {
		t.Fatal("still the old credentials after the background refresh")
	}
}
