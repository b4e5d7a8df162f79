//go:build !unix

package agentproto

import "os"

// OwnerOf cannot read a file's owner here.
func OwnerOf(os.FileInfo) (int, bool) { return -1, false }
