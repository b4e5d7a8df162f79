//go:build !unix

package pluginrpc

import (
	"fmt"
	"runtime"
)

// currentUID is -1 where there are no unix user IDs.
func currentUID() int { return -1 }

// socketOwner cannot tell a socket's owner on this platform.
func socketOwner(string) (int, error) {
	return -1, fmt.Errorf("brs cannot tell who owns a unix socket on %s", runtime.GOOS)
}
