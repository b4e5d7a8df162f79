package agentproto

import (
	"errors"
	"runtime"
)

// Unsupported is why there is no agent on this platform, or "" where there is one.
// The agent needs a socket whose both ends can check the other's user: a unix socket
// with the kernel's peer credentials (SO_PEERCRED on Linux, LOCAL_PEERCRED on macOS
// and FreeBSD). Windows has unix sockets but no peer credentials on them, and a
// named pipe's ACL would be a second transport to secure; there, every command runs
// in-process.
var Unsupported = unsupported()

func unsupported() string {
	if PeerCheck {
		return ""
	}
	return "the agent is off on " + runtime.GOOS + ": it needs a socket whose peer's user the kernel reports (Linux, macOS, FreeBSD); commands run in-process"
}

// ErrUnsupported is returned by Listen, Start and Call where Unsupported is not "".
var ErrUnsupported = errors.New("no agent on this platform")
