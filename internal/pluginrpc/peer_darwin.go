package pluginrpc

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// peerOf returns the uid and pid of the process at the other end of conn, as the
// kernel recorded them when it connected (LOCAL_PEERCRED and LOCAL_PEERPID).
func peerOf(conn *net.UnixConn) (uid, pid int, err error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return -1, 0, err
	}
	var cred *unix.Xucred
	var p int
	var cerr, perr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptXucred(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
		p, perr = unix.GetsockoptInt(int(fd), unix.SOL_LOCAL, unix.LOCAL_PEERPID)
	}); err != nil {
		return -1, 0, err
	}
	if cerr != nil {
		return -1, 0, fmt.Errorf("LOCAL_PEERCRED: %w", cerr)
	}
	if perr != nil {
		p = 0 // the uid is what is checked; the pid is only shown
	}
	return int(cred.Uid), p, nil
}
