//go:build unix

package filetrust

import (
	"io/fs"
	"os/user"
	"strconv"
	"syscall"
)

// ownerOf returns the user ID that owns the file fi describes.
func ownerOf(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

// userName returns the user's name and ID, "alice (1001)", or the ID alone when the
// name is unknown.
func userName(uid int) string {
	id := strconv.Itoa(uid)
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return u.Username + " (" + id + ")"
	}
	return id
}

// loginName returns the user's name, or the ID when the name is unknown, as chown
// takes it.
func loginName(uid int) string {
	id := strconv.Itoa(uid)
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return u.Username
	}
	return id
}
