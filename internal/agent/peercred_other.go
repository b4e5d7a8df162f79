//go:build !linux && !darwin && !freebsd

package agent

import (
	"errors"
	"net"
)

// peerCheck says whether this platform can tell who is at the other end of a unix
// socket; without it there is no agent.
const peerCheck = false

// peerUID is not implemented here: the agent is off (see Unsupported).
func peerUID(*net.UnixConn) (int, error) {
	return -1, errors.New("checking the peer's uid is not implemented on this platform")
}
