//go:build !linux && !darwin && !freebsd

package agentproto

import (
	"errors"
	"syscall"
)

// PeerCheck says whether this platform can tell who is at the other end of a unix
// socket; without it there is no agent.
const PeerCheck = false

// PeerUID is not implemented here: the agent is off (see Unsupported).
func PeerUID(syscall.Conn) (int, error) {
	return -1, errors.New("checking the peer's uid is not implemented on this platform")
}
