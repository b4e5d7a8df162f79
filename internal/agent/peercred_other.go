//go:build !linux

package agent

import (
	"errors"
	"net"
)

// peerUID is not implemented outside Linux: the agent refuses every connection, and
// commands run in-process.
func peerUID(*net.UnixConn) (int, error) {
	return -1, errors.New("checking the peer's uid is implemented on Linux only")
}
