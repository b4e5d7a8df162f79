//go:build !unix

package login

import "os"

// checkPrivate checks nothing where files have no Unix owner and mode (Windows): the
// cache file's ACL, which the AWS CLI sets, is the user's to keep private.
func checkPrivate(*os.File) error { return nil }
