package shellcmd

import (
	"context"
	"testing"
	"time"
)

func run(t *testing.T, c Command) ([]byte, error) {
	t.Helper()
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	if c.MaxOutput == 0 {
		c.MaxOutput = 1 << 10
	}
	return Run(context.Background(), c)
}
