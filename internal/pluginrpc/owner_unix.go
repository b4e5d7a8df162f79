//go:build unix

package pluginrpc

import (
	"fmt"
	"os"
	"syscall"
)

// currentUID is the user the host runs as: the only user whose debug plugins it
// attaches to.
func currentUID() int { return os.Geteuid() }

// socketOwner returns the owner of the unix socket at path, refusing anything that
// is not a socket (a symlink included).
func socketOwner(path string) (int, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return -1, err
	}
	if fi.Mode().Type() != os.ModeSocket {
		return -1, fmt.Errorf("%s is not a unix socket (%s)", path, fi.Mode().Type())
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return -1, fmt.Errorf("%s: cannot tell its owner", path)
	}
	return int(st.Uid), nil
}
