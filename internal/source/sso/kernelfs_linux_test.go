package sso

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/boundedfile"
)

// TestTokenCacheRefusesProcfs: an SSO token cache file that is a symbolic link into
// procfs is refused by the reader (boundedfile), before anything is parsed.
func TestTokenCacheRefusesProcfs(t *testing.T) {
	t.Setenv("BRS_TEST_ENVIRON_SECRET", "environ-secret-that-must-not-show")
	link := filepath.Join(t.TempDir(), "cache.json")
	if err := os.Symlink("/proc/self/environ", link); err != nil {
		t.Fatal(err)
	}
	tok, err := readTokenFile(link)
	if !errors.Is(err, boundedfile.ErrNotRegular) || tok != nil {
		t.Fatalf("token %v, error %v; want ErrNotRegular", tok, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "procfs, a kernel file system that brs does not read") || strings.Contains(msg, "environ-secret") {
		t.Errorf("error: %v", err)
	}
}
