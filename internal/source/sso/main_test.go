package sso_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/ssotest"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// The SSO session of most tests, and the secrets of its cache file.
const (
	session      = "my-sso"
	startURL     = "https://d-1234567890.awsapps.com/start"
	region       = "eu-west-1"
	account      = "111122223333"
	roleName     = "ReadOnly"
	accessToken  = "cached-access-token-0123456789"
	refreshToken = "cached-refresh-token-0123456789"
	clientID     = "cached-client-id-0123456789"
	clientSecret = "cached-client-secret-0123456789"
)

// cacheFile returns the path of key's token in dir: the hex SHA-1 of key, as the AWS
// CLI names it, computed here independently of the code under test.
func cacheFile(dir, key string) string {
	sum := sha1.Sum([]byte(key))
	return filepath.Join(dir, hex.EncodeToString(sum[:])+".json")
}

// stamp formats t as the AWS CLI writes expiresAt.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// cliToken returns the fields `aws sso login --sso-session` writes, with an access
// token that expires at expires.
func cliToken(expires time.Time) map[string]any {
	return map[string]any{
		"startUrl":              startURL,
		"region":                region,
		"accessToken":           accessToken,
		"expiresAt":             stamp(expires),
		"clientId":              clientID,
		"clientSecret":          clientSecret,
		"registrationExpiresAt": stamp(time.Now().Add(90 * 24 * time.Hour)),
		"refreshToken":          refreshToken,
	}
}

// writeCache writes fields as key's token file in dir with mode 0600 and returns its
// path.
func writeCache(t *testing.T, dir, key string, fields map[string]any) string {
	t.Helper()
	data, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	path := cacheFile(dir, key)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readCache returns the fields of the token file at path.
func readCache(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatalf("the cache file is not JSON: %v", err)
	}
	return fields
}

// startFake starts the fake IAM Identity Center, knowing the cache file's tokens and
// client and the role of the tests.
func startFake(t *testing.T) *ssotest.Server {
	t.Helper()
	f := ssotest.Start(t)
	f.AddAccessToken(accessToken)
	f.AddRefreshToken(refreshToken)
	f.AddClient(clientID, clientSecret)
	f.AssignRole(account, roleName)
	return f
}

// sessionConfig is the sso_session config of the tests, reading the cache in dir and
// renewing tokens at f.
func sessionConfig(dir string, f *ssotest.Server) string {
	return mustJSON(map[string]string{
		"sso_session": session, "sso_start_url": startURL, "sso_region": region,
		"account_id": account, "role_name": roleName, "cache_dir": dir, "oidc_endpoint": f.URL,
	})
}

// request is a refresh request with cfg whose portal is f.
func request(f *ssotest.Server, cfg string) shared.RefreshRequest {
	return shared.RefreshRequest{Role: "dev", Config: shared.Config(cfg), Region: "us-east-1", Endpoint: f.URL}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// sharedError fails the test unless err is a *shared.Error with code and retryable.
func sharedError(t *testing.T, err error, code string, retryable bool) *shared.Error {
	t.Helper()
	var e *shared.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *shared.Error", err, err)
	}
	if e.Code != code || e.Retryable != retryable {
		t.Fatalf("error = %q (retryable %v), want code %q retryable %v", e.Error(), e.Retryable, code, retryable)
	}
	return e
}

// noSecrets fails the test if s holds one of the cache file's or the fake's secrets.
func noSecrets(t *testing.T, s string, more ...string) {
	t.Helper()
	for _, secret := range append([]string{accessToken, refreshToken, clientSecret, "fake-sso-access-token", "fake-sso-refresh-token", "fake-sso-secret", "fake-sso-session-token"}, more...) {
		if strings.Contains(s, secret) {
			t.Errorf("%q contains the secret %q", s, secret)
		}
	}
}

// hasAll fails the test unless s contains every fragment.
func hasAll(t *testing.T, s string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(s, f) {
			t.Errorf("%q does not contain %q", s, f)
		}
	}
}
