//go:build !linux && !darwin && !freebsd

package agentproto

import (
	"os"
	"time"
)

// dial is not used here: there is no agent on this platform (Unsupported).
func dial(string, time.Duration) (*os.File, error) { return nil, ErrUnsupported }
