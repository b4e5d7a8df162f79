//go:build darwin || freebsd

package agentproto

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// PeerCheck says whether this platform can tell who is at the other end of a unix
// socket; without it there is no agent.
const PeerCheck = true

// PeerUID returns the uid of the process at the other end of conn, a unix socket, from
// LOCAL_PEERCRED: the kernel's record of who connected (or listened), which the peer
// cannot forge.
func PeerUID(conn syscall.Conn) (int, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *unix.Xucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if cerr != nil {
		return -1, fmt.Errorf("LOCAL_PEERCRED: %w", cerr)
	}
	return int(cred.Uid), nil
}
