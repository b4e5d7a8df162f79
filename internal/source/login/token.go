package login

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/brs-go/brs/internal/atomicfile"
	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/shared"
)

// cachedToken is one file of the login cache, as the AWS CLI writes it and
// aws-sdk-go-v2's logincreds and botocore read it:
//
//	{"accessToken": {"accessKeyId", "secretAccessKey", "sessionToken", "accountId",
//	                 "expiresAt": "2026-12-07T01:00:00Z"},
//	 "tokenType": "aws_sigv4", "refreshToken": "…", "identityToken": "…",
//	 "clientId": "arn:aws:signin:::devtools/same-device",
//	 "dpopKey": "-----BEGIN EC PRIVATE KEY-----…"}
//
// Every field, known or not, is kept in fields (and accessToken's in access), so that
// writing the file back loses nothing another tool relies on.
type cachedToken struct {
	fields map[string]json.RawMessage
	access map[string]json.RawMessage

	AccessKeyID, SecretAccessKey, SessionToken, AccountID string
	// ExpiresAt is when the credentials expire; zero when the file has none.
	ExpiresAt    time.Time
	RefreshToken string
	ClientID     string
	// Key is the session's DPoP key.
	Key *ecdsa.PrivateKey
	// keyPEM is the key as the file holds it, for redaction.
	keyPEM string
}

// expiresAtLayout is how botocore writes expiresAt (Go's RFC 3339 parses it).
const expiresAtLayout = "2006-01-02T15:04:05Z"

// parseToken parses a cache file. Errors describe the problem without quoting the
// file, which holds secrets.
func parseToken(data []byte) (*cachedToken, error) {
	t := &cachedToken{}
	if err := json.Unmarshal(data, &t.fields); err != nil || t.fields == nil {
		return nil, errors.New("it is not a JSON object")
	}
	str := func(m map[string]json.RawMessage, name string, dst *string) error {
		raw, ok := m[name]
		if !ok || string(raw) == "null" {
			return nil
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return fmt.Errorf("its %s is not a string", name)
		}
		return nil
	}
	var keyPEM string
	for name, dst := range map[string]*string{"refreshToken": &t.RefreshToken, "clientId": &t.ClientID, "dpopKey": &keyPEM} {
		if err := str(t.fields, name, dst); err != nil {
			return nil, err
		}
	}
	if raw, ok := t.fields["accessToken"]; ok {
		if err := json.Unmarshal(raw, &t.access); err != nil {
			return nil, errors.New("its accessToken is not an object")
		}
	}
	if t.access == nil {
		t.access = map[string]json.RawMessage{}
	}
	var expires string
	for name, dst := range map[string]*string{"accessKeyId": &t.AccessKeyID, "secretAccessKey": &t.SecretAccessKey,
		"sessionToken": &t.SessionToken, "accountId": &t.AccountID, "expiresAt": &expires} {
		if err := str(t.access, name, dst); err != nil {
			return nil, fmt.Errorf("accessToken: %w", err)
		}
	}
	if expires != "" {
		ts, err := time.Parse(time.RFC3339Nano, expires)
		if err != nil {
			return nil, fmt.Errorf("its accessToken.expiresAt %q is not a timestamp", expires)
		}
		t.ExpiresAt = ts
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"refreshToken", t.RefreshToken}, {"clientId", t.ClientID}, {"dpopKey", keyPEM}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("it has no %v", missing)
	}
	key, err := parseKey(keyPEM)
	if err != nil {
		return nil, err
	}
	t.Key, t.keyPEM = key, keyPEM
	return t, nil
}

// parseKey parses the session's DPoP key: a P-256 private key in PEM, SEC 1 ("EC
// PRIVATE KEY", as the AWS CLI writes it) or PKCS #8.
func parseKey(s string) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("its dpopKey is not a PEM block")
	}
	var key *ecdsa.PrivateKey
	if k, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		key = k
	} else if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		key, _ = k.(*ecdsa.PrivateKey)
	}
	if key == nil || key.Curve != elliptic.P256() {
		return nil, errors.New("its dpopKey is not a P-256 private key")
	}
	return key, nil
}

// hasCredentials reports whether the file holds complete credentials.
func (t *cachedToken) hasCredentials() bool {
	return t.AccessKeyID != "" && t.SecretAccessKey != "" && t.SessionToken != "" && !t.ExpiresAt.IsZero()
}

// credentials returns the file's credentials.
func (t *cachedToken) credentials() shared.Credentials {
	return shared.Credentials{AccessKeyID: t.AccessKeyID, SecretAccessKey: t.SecretAccessKey,
		SessionToken: t.SessionToken, Expires: t.ExpiresAt.UTC(), AccountID: t.AccountID}
}

// secrets returns the token's secrets, for redaction.
func (t *cachedToken) secrets() []string {
	return []string{t.RefreshToken, t.SecretAccessKey, t.SessionToken, t.keyPEM}
}

// renewed returns a copy of t with new credentials that expire at expiresAt and, if
// not empty, a new refresh token; every other field is kept.
func (t *cachedToken) renewed(id, secret, session string, expiresAt time.Time, refreshToken string) *cachedToken {
	n := *t
	n.fields = make(map[string]json.RawMessage, len(t.fields)+2)
	for k, v := range t.fields {
		n.fields[k] = v
	}
	n.access = make(map[string]json.RawMessage, len(t.access)+5)
	for k, v := range t.access {
		n.access[k] = v
	}
	n.AccessKeyID, n.SecretAccessKey, n.SessionToken = id, secret, session
	n.ExpiresAt = expiresAt.UTC().Truncate(time.Second)
	n.access["accessKeyId"] = mustJSON(id)
	n.access["secretAccessKey"] = mustJSON(secret)
	n.access["sessionToken"] = mustJSON(session)
	n.access["expiresAt"] = mustJSON(n.ExpiresAt.Format(expiresAtLayout))
	if n.AccountID != "" {
		n.access["accountId"] = mustJSON(n.AccountID)
	}
	n.fields["accessToken"], _ = json.Marshal(n.access)
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

// maxTokenFile bounds the cache file read: the AWS CLI writes about 4 KB (credentials,
// a refresh token, an identity token and a key). A cache path that leads to something
// else (a symlink to /dev/zero, a log file) must not be read whole.
const maxTokenFile = 256 << 10

// readTokenFile reads and parses the cache file at path, which must be a regular file
// of at most maxTokenFile bytes that only its owner (the user or root) can read and
// write, in directories no one else can write (checkPrivate).
func readTokenFile(path string) (*cachedToken, error) {
	f, err := boundedfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := checkPrivate(f); err != nil {
		return nil, err
	}
	data, err := boundedfile.Read(f, maxTokenFile)
	if err != nil {
		return nil, err
	}
	return parseToken(data)
}

// writeTokenFile replaces the cache file at path atomically: it writes a temporary
// file with mode 0600 in the same directory, syncs it and renames it over path, so
// that a reader (brs, the AWS CLI, an SDK) sees the old file or the new one, never a
// part.
func writeTokenFile(path string, t *cachedToken) error {
	data, err := json.Marshal(t.fields)
	if err != nil {
		return fmt.Errorf("encoding the token: %w", err)
	}
	return atomicfile.WriteFile(path, data, 0o600)
}
