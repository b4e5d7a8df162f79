//go:build !linux && !darwin

package pluginrpc

import (
	"fmt"
	"net"
	"runtime"
)

// peerOf cannot tell who runs the process at the other end of a unix socket on this
// platform, so reattaching over one is refused.
func peerOf(*net.UnixConn) (uid, pid int, err error) {
	return -1, 0, fmt.Errorf("brs cannot tell which user runs a unix socket's peer on %s", runtime.GOOS)
}
