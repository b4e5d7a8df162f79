package agent

import (
	"errors"

	"github.com/brs-go/brs/internal/agentproto"
)

// Unsupported is why there is no agent on this platform, or "" where there is one
// (agentproto.Unsupported).
var Unsupported = agentproto.Unsupported

// ErrUnsupported is returned by Listen, Start and Call where Unsupported is not "".
var ErrUnsupported = agentproto.ErrUnsupported

// errLocked is returned by lockFile when another process holds the lock.
var errLocked = errors.New("locked")
