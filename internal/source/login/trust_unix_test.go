//go:build unix

package login_test

import (
	"os"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/login"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestUntrustedCache: a cache file that another user could read (it holds a private
// key) or change, or that sits in a directory others can write, is refused before it
// is used, with what to fix and no secret; the sign-in service is not called.
func TestUntrustedCache(t *testing.T) {
	for _, c := range []struct {
		name      string
		file, dir os.FileMode
		want      string
	}{
		{"group-readable", 0o640, 0o700, "lets other users read it"},
		{"world-readable", 0o604, 0o700, "lets other users read it"},
		{"group-writable", 0o620, 0o700, "writable by other users"},
		{"directory world-writable", 0o600, 0o777, "its directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, sess, dir, path := signIn(t, time.Now().Add(-time.Minute))
			if err := os.Chmod(path, c.file); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, c.dir); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
			_, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
			e := sourcetest.WantError(t, err, "UntrustedLoginCache", false, path, c.want)
			noSecrets(t, e.Error(), sess.Secrets())
			if n := len(f.Calls()); n != 0 {
				t.Errorf("%d calls to the sign-in service with an untrusted cache", n)
			}
		})
	}
}

// TestCacheOfAnotherUser: a cache file that belongs to another user is refused even
// with mode 0600: that user chose what it says. Needs root, to give the file away.
func TestCacheOfAnotherUser(t *testing.T) {
	needtool.Root(t, "to give the cache file to another user (nobody)")
	f, _, dir, path := signIn(t, time.Now().Add(-time.Minute))
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	_, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
	sourcetest.WantError(t, err, "UntrustedLoginCache", false, "belongs to another user (uid 65534)")
}
