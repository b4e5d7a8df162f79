package sso_test

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/sso"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/internal/testutil/ssotest"
	"github.com/brs-go/brs/shared"
)

// TestValidCachedToken checks that a token far from expiry is used as it is: the
// portal sees it, SSO-OIDC is not called and the cache file is left alone.
func TestValidCachedToken(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	path := writeCache(t, dir, session, cliToken(time.Now().Add(time.Hour)))
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	creds, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	checkCredentials(t, f, creds, accessToken)
	if n := len(f.TokenCalls()); n != 0 {
		t.Errorf("CreateToken was called %d times for a token valid for an hour", n)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the cache file was rewritten although its token was valid")
	}
}

// checkCredentials fails the test unless creds are the ones the portal issued last,
// for the test's role, to a caller that presented token.
func checkCredentials(t *testing.T, f *ssotest.Server, creds shared.Credentials, token string) {
	t.Helper()
	calls := f.PortalCalls()
	if len(calls) == 0 {
		t.Fatalf("the portal was not called")
	}
	last := calls[len(calls)-1]
	if last.AccessToken != token || last.AccountID != account || last.RoleName != roleName {
		t.Errorf("the portal got token %q, account %q, role %q; want %q, %q, %q",
			last.AccessToken, last.AccountID, last.RoleName, token, account, roleName)
	}
	if creds.AccessKeyID != last.AccessKeyID || creds.AccessKeyID == "" {
		t.Errorf("access key ID %q, want the issued %q", creds.AccessKeyID, last.AccessKeyID)
	}
	if !strings.HasPrefix(creds.SecretAccessKey, "fake-sso-secret-access-key-") || !strings.HasPrefix(creds.SessionToken, "fake-sso-session-token-") {
		t.Errorf("the secret key or session token is not the issued one: %v", creds)
	}
	if d := time.Until(creds.Expires); d < 59*time.Minute || d > time.Hour {
		t.Errorf("credentials expire in %v, want the fake's hour (epoch milliseconds converted)", d)
	}
	if creds.AccountID != account {
		t.Errorf("account ID %q, want %q", creds.AccountID, account)
	}
}

// TestRenewNearExpiry checks that a token within 15 minutes of expiry is renewed with
// CreateToken, that the cache file is replaced (a new file, mode 0600, every old field
// kept, the new tokens in it) rather than rewritten in place, and that the portal gets
// the new token. A second refresh then uses the saved token without renewing again.
func TestRenewNearExpiry(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	old := cliToken(time.Now().Add(10 * time.Minute))
	old["someFutureField"] = map[string]any{"kept": true}
	path := writeCache(t, dir, session, old)
	// A looser mode (another tool's, or the SDK's copy of the old mode) is tightened.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	oldFile, err := os.Open(path) // the old content must stay readable through it
	if err != nil {
		t.Fatal(err)
	}
	defer oldFile.Close()
	oldInfo, err := oldFile.Stat()
	if err != nil {
		t.Fatal(err)
	}

	r := sso.New()
	start := time.Now()
	creds, err := sourcetest.Refresh(context.Background(), r, request(f, sessionConfig(dir, f)))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}

	calls := f.TokenCalls()
	if len(calls) != 1 {
		t.Fatalf("CreateToken was called %d times, want 1", len(calls))
	}
	c := calls[0]
	if c.GrantType != "refresh_token" || c.ClientID != clientID || c.ClientSecret != clientSecret || c.RefreshToken != refreshToken {
		t.Errorf("CreateToken got grant %q, client %q, the cache's secret %v, the cache's refresh token %v",
			c.GrantType, c.ClientID, c.ClientSecret == clientSecret, c.RefreshToken == refreshToken)
	}
	checkCredentials(t, f, creds, c.AccessToken)

	// The old file was replaced, not truncated and rewritten.
	newInfo, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(oldInfo, newInfo) {
		t.Errorf("the cache file was rewritten in place; want a new file renamed over it")
	}
	if mode := newInfo.Mode().Perm(); mode != 0o600 {
		t.Errorf("the cache file has mode %v, want 0600", mode)
	}
	oldContent, err := io.ReadAll(oldFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(oldContent), accessToken) {
		t.Errorf("the old file's content changed under an open handle: %q", oldContent)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("the cache directory holds %d entries, want only the token file (no temporary file left)", len(entries))
	}

	got := readCache(t, path)
	want := map[string]any{
		"startUrl": startURL, "region": region, "clientId": clientID, "clientSecret": clientSecret,
		"registrationExpiresAt": old["registrationExpiresAt"], "accessToken": c.AccessToken,
		"refreshToken": got["refreshToken"], "expiresAt": got["expiresAt"],
		"someFutureField": map[string]any{"kept": true},
	}
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("the cache file holds\n%s\nwant\n%s", mustJSON(got), mustJSON(want))
	}
	if rt, _ := got["refreshToken"].(string); !strings.HasPrefix(rt, "fake-sso-refresh-token-") {
		t.Errorf("the cache file's refresh token is not the rotated one CreateToken returned")
	}
	expires, err := time.Parse(time.RFC3339, got["expiresAt"].(string))
	if err != nil || !strings.HasSuffix(got["expiresAt"].(string), "Z") {
		t.Fatalf("expiresAt %v is not an RFC 3339 UTC time as the AWS CLI writes it: %v", got["expiresAt"], err)
	}
	if lo, hi := start.Add(time.Hour-2*time.Second), time.Now().Add(time.Hour); expires.Before(lo) || expires.After(hi) {
		t.Errorf("expiresAt %v, want an hour (the fake's expiresIn) after the renewal", expires)
	}

	// The saved token is now far from expiry: the next refresh uses it as it is.
	creds, err = sourcetest.Refresh(context.Background(), r, request(f, sessionConfig(dir, f)))
	if err != nil {
		t.Fatalf("second Refresh: %v", err)
	}
	checkCredentials(t, f, creds, c.AccessToken)
	if n := len(f.TokenCalls()); n != 1 {
		t.Errorf("CreateToken was called %d times in all, want 1", n)
	}
}

// TestRenewKeepsRefreshToken checks that a CreateToken answer without a refresh token
// leaves the old one in the cache file.
func TestRenewKeepsRefreshToken(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	f.KeepRefreshTokens()
	path := writeCache(t, dir, session, cliToken(time.Now().Add(-time.Hour)))
	if _, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f))); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	got := readCache(t, path)
	if got["refreshToken"] != refreshToken {
		t.Errorf("the cache file lost its refresh token")
	}
	if got["accessToken"] == accessToken {
		t.Errorf("the cache file still holds the expired access token")
	}
}

// TestRolesShareOneRenewal checks that roles of one SSO session refreshing at once
// spend the (rotating) refresh token once: the second waits and uses the saved token.
func TestRolesShareOneRenewal(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	f.AssignRole(account, "Admin")
	writeCache(t, dir, session, cliToken(time.Now().Add(time.Minute)))
	r := sso.New()
	admin := strings.Replace(sessionConfig(dir, f), roleName, "Admin", 1)

	errs := make(chan error, 2)
	for _, cfg := range []string{sessionConfig(dir, f), admin} {
		go func() {
			_, err := sourcetest.Refresh(context.Background(), r, request(f, cfg))
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("Refresh: %v", err)
		}
	}
	if n := len(f.TokenCalls()); n != 1 {
		t.Errorf("CreateToken was called %d times, want 1", n)
	}
	if n := len(f.PortalCalls()); n != 2 {
		t.Errorf("the portal was called %d times, want 2", n)
	}
}

// TestLegacyStartURL checks the legacy form: the cache file is named by the start
// URL's SHA-1, and its token (which cannot be renewed) is used while it is valid, even
// inside the renewal window.
func TestLegacyStartURL(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	writeCache(t, dir, startURL, map[string]any{
		"startUrl": startURL, "region": region, "accessToken": accessToken,
		"expiresAt": stamp(time.Now().Add(10 * time.Minute)),
	})
	cfg := mustJSON(map[string]string{
		"start_url": startURL, "sso_region": region, "account_id": account, "role_name": roleName, "cache_dir": dir,
	})
	creds, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, cfg))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	checkCredentials(t, f, creds, accessToken)
	if n := len(f.TokenCalls()); n != 0 {
		t.Errorf("CreateToken was called %d times for a legacy token", n)
	}
}

// TestHomeCacheDir checks that without cache_dir the token is read from
// ~/.aws/sso/cache.
func TestHomeCacheDir(t *testing.T) {
	f, home := startFake(t), t.TempDir()
	t.Setenv("HOME", home)
	dir := home + "/.aws/sso/cache"
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeCache(t, dir, session, cliToken(time.Now().Add(time.Hour)))
	cfg := mustJSON(map[string]string{
		"sso_session": session, "sso_start_url": startURL, "sso_region": region, "account_id": account, "role_name": roleName,
	})
	creds, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, cfg))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	checkCredentials(t, f, creds, accessToken)

	// "~/" in cache_dir is the home directory too.
	cfg = strings.Replace(sessionConfig(dir, f), dir, "~/.aws/sso/cache", 1)
	if _, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, cfg)); err != nil {
		t.Fatalf("Refresh with cache_dir ~/.aws/sso/cache: %v", err)
	}
}
