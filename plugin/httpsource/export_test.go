package httpsource

import "github.com/brs-go/brs/internal/clock"

// SetClock makes c wait out Retry-After on clk.
func SetClock(c *Client, clk clock.Clock) { c.clock = clk }
