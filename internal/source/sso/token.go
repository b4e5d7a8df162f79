package sso

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/brs-go/brs/internal/atomicfile"
	"github.com/brs-go/brs/internal/boundedfile"
)

// cachedToken is one file of the SSO token cache, in the AWS CLI v2's format:
//
//	{"startUrl": "https://d-1234567890.awsapps.com/start", "region": "us-east-1",
//	 "accessToken": "…", "expiresAt": "2026-11-24T18:00:00Z",
//	 "clientId": "…", "clientSecret": "…", "registrationExpiresAt": "…",
//	 "refreshToken": "…"}
//
// The legacy form (no sso_session) has only the first four fields. Every field, known
// or not, is kept in fields, so that writing the file back loses nothing another tool
// relies on.
type cachedToken struct {
	fields map[string]json.RawMessage

	StartURL     string
	AccessToken  string
	ExpiresAt    time.Time
	RefreshToken string
	ClientID     string
	ClientSecret string
	// RegistrationExpiresAt is when the client registration ends; zero if unknown.
	RegistrationExpiresAt time.Time
}

// expiresAtLayout is how the AWS CLI and botocore write expiresAt.
const expiresAtLayout = "2006-01-02T15:04:05Z"

// errNoToken is the cause of a token file that parses but holds no usable token.
var errNoToken = errors.New("it has no accessToken or no expiresAt")

// parseToken parses a token cache file. Errors describe the problem without quoting
// the file, which holds secrets.
func parseToken(data []byte) (*cachedToken, error) {
	t := &cachedToken{}
	if err := json.Unmarshal(data, &t.fields); err != nil || t.fields == nil {
		return nil, errors.New("it is not a JSON object")
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"startUrl", &t.StartURL}, {"accessToken", &t.AccessToken}, {"refreshToken", &t.RefreshToken},
		{"clientId", &t.ClientID}, {"clientSecret", &t.ClientSecret},
	} {
		if raw, ok := t.fields[f.name]; ok {
			if err := json.Unmarshal(raw, f.dst); err != nil {
				return nil, fmt.Errorf("its %s is not a string", f.name)
			}
		}
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"expiresAt", &t.ExpiresAt}, {"registrationExpiresAt", &t.RegistrationExpiresAt}} {
		raw, ok := t.fields[f.name]
		if !ok {
			continue
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("its %s is not a string", f.name)
		}
		ts, err := parseTime(s)
		if err != nil {
			return nil, fmt.Errorf("its %s %q is not a timestamp", f.name, s)
		}
		*f.dst = ts
	}
	if t.AccessToken == "" || t.ExpiresAt.IsZero() {
		return nil, errNoToken
	}
	return t, nil
}

// parseTime parses a cache timestamp: RFC 3339, as the AWS CLI and the SDKs write it
// now, or with a "UTC" suffix, as early AWS CLI v2 releases wrote it.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05UTC", s)
}

// renewable reports whether the token can be renewed with CreateToken at now: the
// file holds a refresh token and a client registration that has not expired.
func (t *cachedToken) renewable(now time.Time) bool {
	return t.hasRefreshToken() && (t.RegistrationExpiresAt.IsZero() || now.Before(t.RegistrationExpiresAt))
}

// hasRefreshToken reports whether the file holds what CreateToken needs.
func (t *cachedToken) hasRefreshToken() bool {
	return t.RefreshToken != "" && t.ClientID != "" && t.ClientSecret != ""
}

// secrets returns the token's secrets, for redaction.
func (t *cachedToken) secrets() []string {
	return []string{t.AccessToken, t.RefreshToken, t.ClientSecret}
}

// renewed returns a copy of t with a new access token, expiry and, if not empty,
// refresh token; every other field is kept.
func (t *cachedToken) renewed(accessToken string, expiresAt time.Time, refreshToken string) *cachedToken {
	n := *t
	n.fields = make(map[string]json.RawMessage, len(t.fields)+3)
	for k, v := range t.fields {
		n.fields[k] = v
	}
	n.AccessToken = accessToken
	n.ExpiresAt = expiresAt.UTC().Truncate(time.Second)
	n.fields["accessToken"] = mustJSON(n.AccessToken)
	n.fields["expiresAt"] = mustJSON(n.ExpiresAt.Format(expiresAtLayout))
	if refreshToken != "" {
		n.RefreshToken = refreshToken
		n.fields["refreshToken"] = mustJSON(refreshToken)
	}
	return &n
}

// mustJSON encodes a string, which cannot fail.
func mustJSON(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// maxTokenFile bounds the token cache file read: the AWS CLI writes about 2 KB (an
// access token, a refresh token, a client secret of about 1 KB each). A cache path
// that leads to something else (a symlink to /dev/zero, a log file) must not be read
// whole.
const maxTokenFile = 256 << 10

// readTokenFile reads and parses the token cache file at path, which must be a
// regular file of at most maxTokenFile bytes.
func readTokenFile(path string) (*cachedToken, error) {
	data, err := boundedfile.ReadFile(path, maxTokenFile)
	if err != nil {
		return nil, err
	}
	return parseToken(data)
}

// writeTokenFile replaces the token cache file at path atomically: it writes a
// temporary file with mode 0600 in the same directory, syncs it and renames it over
// path, so that a reader (brs, the AWS CLI, an SDK) sees the old file or the new one,
// never a part, and an open handle on the old file keeps the old content.
func writeTokenFile(path string, t *cachedToken) error {
	data, err := json.Marshal(t.fields)
	if err != nil {
		return fmt.Errorf("encoding the token: %w", err)
	}
	return atomicfile.WriteFile(path, data, 0o600)
}
