//go:build unix

package login

import (
	"errors"
	"fmt"
	"os"

	"github.com/brs-go/brs/internal/filetrust"
)

// checkPrivate refuses the cache file f unless it and every directory on the way to
// it belong to the user or root and no other user can write them (filetrust's rule),
// and no other user can read the file: it holds the session's private DPoP key and
// refresh token, as an SSH private key does. Another user who could write it could
// hand the user's programs credentials of an account of theirs; one who could read
// it could take the session.
func checkPrivate(f *os.File) error {
	if err := filetrust.Check(f, "aws login cache file"); err != nil {
		var te *filetrust.Error
		if !errors.As(err, &te) {
			return err
		}
		what := "it"
		switch {
		case te.IsDir:
			what = "its directory " + te.Path
		case te.Path != te.File:
			what = "what it links to, " + te.Path + ","
		}
		why := "belongs to another user (uid %d), not to you or root"
		if te.Writable {
			why = "is writable by other users (owner uid %d)"
		}
		return &untrustedError{path: f.Name(), reason: fmt.Sprintf("%s (mode %v) "+why, what, te.Mode, te.Owner),
			fix: "make it yours and writable by you alone (chown, chmod go-w), or move the cache to a directory only you can write"}
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if m := fi.Mode().Perm(); m&0o077 != 0 {
		return &untrustedError{path: f.Name(), reason: fmt.Sprintf("its mode %v lets other users read it", m),
			fix: "run chmod 600 " + f.Name() + ", and `aws logout` then `aws login` if someone else may have read it"}
	}
	return nil
}
