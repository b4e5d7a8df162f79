//go:build unix

package agentproto

import (
	"os"
	"syscall"
)

// OwnerOf returns the uid that owns the file fi describes.
func OwnerOf(fi os.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return -1, false
	}
	return int(st.Uid), true
}
