package agentproto

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// PeerCheck says whether this platform can tell who is at the other end of a unix
// socket; without it there is no agent.
const PeerCheck = true

// PeerUID returns the uid of the process at the other end of conn, a unix socket, from SO_PEERCRED:
// the kernel's record of who connected, which the peer cannot forge.
func PeerUID(conn syscall.Conn) (int, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if cerr != nil {
		return -1, fmt.Errorf("SO_PEERCRED: %w", cerr)
	}
	return int(cred.Uid), nil
}
