//go:build !unix

package filetrust

import (
	"io/fs"
	"strconv"
)

// ownerOf reports no owner: Windows files have no Unix owner and mode, and their
// access control lists are not checked (see the package documentation).
func ownerOf(fs.FileInfo) (int, bool) { return 0, false }

// userName returns the user ID.
func userName(uid int) string { return strconv.Itoa(uid) }

// loginName returns the user ID.
func loginName(uid int) string { return strconv.Itoa(uid) }
