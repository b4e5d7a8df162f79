package clock

import (
	"testing"
	"time"
)

// TestWallMicrosIsTheWallClock checks the hot path's clock against time.Now: each
// reading falls between the wall readings taken just before and just after it.
func TestWallMicrosIsTheWallClock(t *testing.T) {
	for range 1000 {
		before := time.Now().UnixMicro()
		got := WallMicros()
		after := time.Now().UnixMicro()
		if got < before || got > after {
			t.Fatalf("WallMicros() = %d, want between %d and %d", got, before, after)
		}
	}
}
