package hcl_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/fakesignin"
)

// TestLoginExample runs login.hcl's dev role against fakesignin, a fake sign-in
// service that verifies DPoP proofs (no real one can be reached here), with a
// session in the default cache, ~/.aws/login/cache, of a fresh HOME: the role's
// credentials are renewed ones, and the cache file holds them afterwards.
func TestLoginExample(t *testing.T) {
	f := fakesignin.Start(t, fakesignin.Options{})
	sess := f.NewSession(t, "arn:aws:iam::111122223333:user/alice", "111122223333", 12*time.Hour)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_LOGIN_CACHE_DIRECTORY", "")
	path := sess.WriteCache(t, filepath.Join(home, ".aws", "login", "cache"), time.Now().Add(-time.Minute))
	_, opts := setup(t, "")
	t.Setenv("BRS_SIGNIN_ENDPOINT", f.URL)

	h := load(t, "login.hcl", opts)
	creds, err := h.Credentials(context.Background(), "dev")
	if err != nil {
		t.Fatalf("dev: %v (calls %+v)", err, f.Calls())
	}
	if !strings.HasPrefix(creds.AccessKeyID, "ASIAFAKESIGNIN") || creds.AccessKeyID == sess.AccessKeyID || creds.AccountID != "111122223333" {
		t.Errorf("dev: %v, want renewed credentials", creds)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), creds.AccessKeyID) {
		t.Errorf("the cache file does not hold the renewed credentials: %v", err)
	}
}
