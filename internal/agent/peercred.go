package agent

import (
	"net"

	"github.com/brs-go/brs/internal/agentproto"
)

// peerUID returns the uid of the process at the other end of conn, from the kernel
// (agentproto.PeerUID).
func peerUID(conn *net.UnixConn) (int, error) { return agentproto.PeerUID(conn) }

// peerCheck says whether this platform can tell who is at the other end of a unix
// socket; without it there is no agent.
const peerCheck = agentproto.PeerCheck
