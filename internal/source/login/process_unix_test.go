//go:build unix

package login_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/fakesignin"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// processHCL is a role of the login plugin with the default cache directory; %s is
// the sign-in endpoint.
const processHCL = `
role "dev" {
  source   = "login"
  region   = "eu-west-1"
  endpoint = %q
  config {
    login_session = "arn:aws:iam::111122223333:user/alice"
  }
}
`

// TestThroughPluginProcess: the real brs-plugin-login, started by the host, renews a
// session in ~/.aws/login/cache; with the cache file made readable by others, the same
// plugin refuses it, and the host's error says why and what to do, holding no secret.
func TestThroughPluginProcess(t *testing.T) {
	// Built before HOME changes: go build finds its caches through HOME.
	plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-login")
	f := fakesignin.Start(t, fakesignin.Options{})
	sess := f.NewSession(t, sessionName, account, time.Hour)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_LOGIN_CACHE_DIRECTORY", "")
	path := sess.WriteCache(t, filepath.Join(home, ".aws", "login", "cache"), time.Now().Add(-time.Minute))

	h, err := sourcetest.LoadHost(t, "github.com/brs-go/brs/cmd/brs-plugin-login", fmt.Sprintf(processHCL, f.URL))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	creds, err := h.Credentials(context.Background(), "dev")
	if err != nil || !strings.HasPrefix(creds.AccessKeyID, "ASIAFAKESIGNIN") || creds.AccessKeyID == sess.AccessKeyID {
		t.Fatalf("through the plugin: %v, %v", creds, err)
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	h2, err := sourcetest.LoadHost(t, "github.com/brs-go/brs/cmd/brs-plugin-login", fmt.Sprintf(processHCL, f.URL))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	// Credentials that are fresh in the file: refused all the same.
	_, err = h2.Credentials(context.Background(), "dev")
	if err == nil {
		t.Fatal("a world-readable cache file was used")
	}
	for _, want := range []string{"UntrustedLoginCache", path, "lets other users read it", "chmod 600"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	noSecrets(t, err.Error(), append(sess.Secrets(), creds.SecretAccessKey, creds.SessionToken))
}
