package login_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/login"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestCacheIsKernelFile: a cache path that is a symbolic link into procfs (or any
// non-regular file) is refused without being read.
func TestCacheIsKernelFile(t *testing.T) {
	f, _, dir, path := signIn(t, time.Now().Add(-time.Minute))
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/proc/self/environ", path); err != nil {
		t.Fatal(err)
	}
	_, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
	sourcetest.WantError(t, err, "InvalidLoginCache", false, filepath.Base(path))
}
