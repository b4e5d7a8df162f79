package sso_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// processHCL declares a role whose token the plugin renews and one whose token has
// expired for good; both read the default cache, ~/.aws/sso/cache.
const processHCL = `
role "dev" {
  source   = "sso"
  endpoint = "%[1]s"
  config {
    sso_session   = "my-sso"
    sso_start_url = "https://d-1234567890.awsapps.com/start"
    sso_region    = "eu-west-1"
    account_id    = "111122223333"
    role_name     = "ReadOnly"
    oidc_endpoint = "%[1]s"
  }
}

role "stale" {
  source   = "sso"
  endpoint = "%[1]s"
  config {
    sso_session   = "stale-sso"
    sso_start_url = "https://d-1234567890.awsapps.com/start"
    sso_region    = "eu-west-1"
    account_id    = "111122223333"
    role_name     = "ReadOnly"
  }
}
`

// TestThroughPluginProcess runs the real brs-plugin-sso binary under host.Load, with
// HOME pointing at a temporary directory, and checks the renewal, the saved cache
// file, the error a caller sees when a login is needed, and that no token reaches the
// host's log.
func TestThroughPluginProcess(t *testing.T) {
	bin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sso")
	f, home := startFake(t), t.TempDir()
	t.Setenv("HOME", home) // the plugin process inherits it
	cacheDir := filepath.Join(home, ".aws", "sso", "cache")
	if err := os.MkdirAll(cacheDir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := writeCache(t, cacheDir, session, cliToken(time.Now().Add(5*time.Minute)))
	stale := cliToken(time.Now().Add(-time.Hour))
	delete(stale, "refreshToken")
	writeCache(t, cacheDir, "stale-sso", stale)

	file := filepath.Join(t.TempDir(), "brs.hcl")
	if err := os.WriteFile(file, []byte(fmt.Sprintf(processHCL, f.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &sourcetest.SyncBuffer{}
	logger := hclog.New(&hclog.LoggerOptions{Name: "brs", Level: hclog.Trace, Output: logs})
	ctx := context.Background()
	h, err := host.Load(ctx, file, host.WithPluginDir(filepath.Dir(bin)), host.WithLogger(logger))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	defer h.Close()
	if w := h.Warnings(); len(w) > 0 {
		t.Errorf("warnings: %v", w)
	}

	creds, err := h.Credentials(ctx, "dev")
	if err != nil {
		t.Fatalf("Credentials(dev): %v", err)
	}
	tokens := f.TokenCalls()
	if len(tokens) != 1 || tokens[0].Status != 200 {
		t.Fatalf("CreateToken calls %+v, want one successful renewal", tokens)
	}
	checkCredentials(t, f, creds, tokens[0].AccessToken)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := readCache(t, path); got["accessToken"] != tokens[0].AccessToken || info.Mode().Perm() != 0o600 {
		t.Errorf("the plugin did not save the renewed token with mode 0600 (mode %v)", info.Mode().Perm())
	}

	_, err = h.Credentials(ctx, "stale")
	if err == nil {
		t.Fatalf("Credentials(stale) succeeded with an expired token")
	}
	hasAll(t, err.Error(), `brs: role "stale" (source "sso"): no valid credentials: SSOTokenExpired:`,
		`run "aws sso login --sso-session stale-sso"`)

	h.Close()
	all := logs.String() + err.Error()
	if !strings.Contains(all, "renewed the SSO token") {
		t.Errorf("the host's log does not show the plugin's renewal:\n%s", all)
	}
	noSecrets(t, all, creds.SecretAccessKey, creds.SessionToken, tokens[0].AccessToken)
}

// TestThroughPluginProcessHostileCache runs the brs-plugin-sso subprocess with the
// token cache file a symlink to /dev/zero (before, the plugin read it until memory ran
// out): the refresh fails at once with an error that names the file and what it is,
// and no call reaches the portal.
func TestThroughPluginProcessHostileCache(t *testing.T) {
	// Built before HOME changes: go build finds its caches through HOME.
	plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sso")
	f, home := startFake(t), t.TempDir()
	t.Setenv("HOME", home)
	cacheDir := filepath.Join(home, ".aws", "sso", "cache")
	if err := os.MkdirAll(cacheDir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := writeCache(t, cacheDir, session, cliToken(time.Now().Add(time.Hour)))
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", path); err != nil {
		t.Fatal(err)
	}
	h, err := sourcetest.LoadHost(t, "github.com/brs-go/brs/cmd/brs-plugin-sso", fmt.Sprintf(processHCL, f.URL))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, err = h.Credentials(context.Background(), "dev")
	if err == nil {
		t.Fatal("Credentials succeeded from /dev/zero")
	}
	hasAll(t, err.Error(), "InvalidSSOTokenCache: the SSO token cache file "+path+" cannot be used: it is a character device, not a regular file")
	if n := len(f.TokenCalls()); n != 0 {
		t.Errorf("%d CreateToken calls, want none", n)
	}
}
