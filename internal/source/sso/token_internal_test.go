package sso

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/testutil/ssotest"
	"github.com/brs-go/brs/shared"
)

func TestParseToken(t *testing.T) {
	want := time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)
	for _, expiresAt := range []string{
		"2026-11-24T18:00:00Z",        // the AWS CLI and the SDKs
		"2026-11-24T18:00:00UTC",      // early AWS CLI v2 releases
		"2026-11-24T19:00:00+01:00",   // any RFC 3339 offset
		"2026-11-24T18:00:00.000000Z", // fractional seconds
	} {
		tok, err := parseToken([]byte(`{"accessToken": "a", "expiresAt": "` + expiresAt + `"}`))
		if err != nil {
			t.Errorf("expiresAt %q: %v", expiresAt, err)
			continue
		}
		if !tok.ExpiresAt.Equal(want) {
			t.Errorf("expiresAt %q parsed as %v, want %v", expiresAt, tok.ExpiresAt, want)
		}
	}

	for _, bad := range []struct{ doc, want string }{
		{`[1]`, "not a JSON object"},
		{`null`, "not a JSON object"},
		{`{"accessToken": "secret-token-123", "expiresAt": "tomorrow"}`, `expiresAt "tomorrow" is not a timestamp`},
		{`{"accessToken": 5, "expiresAt": "2026-11-24T18:00:00Z"}`, "accessToken is not a string"},
		{`{"accessToken": "secret-token-123", "registrationExpiresAt": 1}`, "registrationExpiresAt is not a string"},
		{`{"expiresAt": "2026-11-24T18:00:00Z"}`, "no accessToken"},
		{`{"accessToken": "secret-token-123"}`, "no expiresAt"},
	} {
		_, err := parseToken([]byte(bad.doc))
		if err == nil || !strings.Contains(err.Error(), bad.want) || strings.Contains(err.Error(), "secret-token-123") {
			t.Errorf("parseToken(%s) = %v, want an error about %q without the token", bad.doc, err, bad.want)
		}
	}
}

// TestRenewedKeepsFields checks that a renewed token keeps every field of the file,
// known or not, and changes only the access token, its expiry and the refresh token.
func TestRenewedKeepsFields(t *testing.T) {
	doc := `{"startUrl": "u", "region": "r", "accessToken": "old", "expiresAt": "2020-01-01T00:00:00UTC",
		"clientId": "c", "clientSecret": "s", "registrationExpiresAt": "2030-01-01T00:00:00Z",
		"refreshToken": "rt", "future": {"a": [1, 2]}}`
	tok, err := parseToken([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 3600))
	for _, c := range []struct{ refresh, want string }{{"rt2", "rt2"}, {"", "rt"}} {
		n := tok.renewed("new", at, c.refresh)
		data, err := json.Marshal(n.fields)
		if err != nil {
			t.Fatal(err)
		}
		var got, want map[string]any
		_ = json.Unmarshal(data, &got)
		_ = json.Unmarshal([]byte(doc), &want)
		want["accessToken"], want["expiresAt"], want["refreshToken"] = "new", "2026-01-02T02:04:05Z", c.want
		if g, w := mustJSONString(got), mustJSONString(want); g != w {
			t.Errorf("renewed with refresh token %q:\n%s\nwant\n%s", c.refresh, g, w)
		}
		if n.RefreshToken != c.want || n.AccessToken != "new" {
			t.Errorf("renewed token fields: access %q refresh %q", n.AccessToken, n.RefreshToken)
		}
	}
	if tok.AccessToken != "old" || !strings.Contains(string(tok.fields["accessToken"]), "old") {
		t.Errorf("renewed changed the original token")
	}
}

func mustJSONString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestWriteTokenFileFailure checks that a failed write leaves the old file and no
// temporary file behind.
func TestWriteTokenFileFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token.json")
	if err := os.WriteFile(path, []byte(`{"old": true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	// A directory where the file should go makes the rename fail.
	target := filepath.Join(dir, "sub")
	if err := os.MkdirAll(filepath.Join(target, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	tok := &cachedToken{fields: map[string]json.RawMessage{"accessToken": json.RawMessage(`"a"`)}}
	if err := writeTokenFile(target, tok); err == nil {
		t.Fatalf("writing over a non-empty directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the directory holds %d entries after a failed write, want the 2 it had", len(entries))
	}
	if err := writeTokenFile(filepath.Join(dir, "missing", "token.json"), tok); err == nil {
		t.Errorf("writing into a missing directory succeeded")
	}
}

// TestUnwritableCache checks that a renewed token that cannot be saved is used, logged
// without secrets, and kept for the next refresh (its refresh token has been spent).
func TestUnwritableCache(t *testing.T) {
	f := ssotest.Start(t)
	f.AddRefreshToken("refresh-token-0123456789")
	f.AddClient("client", "client-secret-0123456789")
	f.AssignRole("111122223333", "ReadOnly")
	dir := t.TempDir()
	c := config{SSOSession: "s", SSOStartURL: "https://x.awsapps.com/start", SSORegion: "us-east-1",
		AccountID: "111122223333", RoleName: "ReadOnly", CacheDir: dir, OIDCEndpoint: f.URL}
	path := filepath.Join(dir, c.cacheFileName())
	doc := `{"accessToken": "expired-token-0123456789", "expiresAt": "2020-01-01T00:00:00Z", "clientId": "client",
		"clientSecret": "client-secret-0123456789", "refreshToken": "refresh-token-0123456789"}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	r := New(WithLogger(hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Trace})))
	r.writeToken = func(string, *cachedToken) error {
		return errors.New("read-only file system")
	}
	req := shared.RefreshRequest{Config: shared.Config(mustJSONString(c)), Endpoint: f.URL}
	for i := range 2 {
		if _, err := r.refresh(context.Background(), &req); err != nil {
			t.Fatalf("Refresh %d: %v", i+1, err)
		}
	}
	tokens, portal := f.TokenCalls(), f.PortalCalls()
	if len(tokens) != 1 || len(portal) != 2 || portal[1].AccessToken != tokens[0].AccessToken {
		t.Errorf("CreateToken calls %+v, portal calls %+v; want one renewal whose token both refreshes used", tokens, portal)
	}
	if got := logs.String(); !strings.Contains(got, "could not save the renewed SSO token") || !strings.Contains(got, "read-only file system") {
		t.Errorf("log %q does not report the failed save", got)
	}
	for _, secret := range []string{"refresh-token-0123456789", "client-secret-0123456789", "fake-sso-access-token", "fake-sso-refresh-token"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}
