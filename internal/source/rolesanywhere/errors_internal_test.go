package rolesanywhere

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

// settingsFor returns the settings of a role at the fake f.
func settingsFor(t *testing.T, f *fake.Server, endpoint string) settings {
	t.Helper()
	s, ds := parseConfig(sourcetest.ConfigJSON(t, map[string]string{
		"certificate": "/c", "private_key": "/k", "trust_anchor_arn": f.TrustAnchorARN, "profile_arn": f.ProfileARN, "role_arn": fake.DefaultRole,
	}), "", endpoint)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return s
}

// TestFakeRefusesExpiredCertificate: the fake, not only the source, refuses an
// expired certificate (the source's own check is bypassed here), as the service does.
func TestFakeRefusesExpiredCertificate(t *testing.T) {
	ca := fake.NewCA(t, "anchor")
	f := fake.Start(t, fake.Config{Anchor: ca})
	id := ca.Issue(t, fake.Leaf{NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-time.Hour)})
	s := settingsFor(t, f, f.URL)
	_, err := s.createSession(context.Background(), newClient(), identity{leaf: id.Cert, key: id.Key})
	sourcetest.WantError(t, err, "AccessDenied", false, "Untrusted signing certificate: expired")
}

// TestAnswers: each kind of answer is classified; bodies are bounded and never
// quoted beyond the service's message.
func TestAnswers(t *testing.T) {
	ca := fake.NewCA(t, "anchor")
	f := fake.Start(t, fake.Config{Anchor: ca})
	id := ca.Issue(t, fake.Leaf{})
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		code      string
		retryable bool
		want      string
	}{
		{"throttled", 429, `{"message":"Rate exceeded"}`, "Throttling", true, "Rate exceeded"},
		{"server error", 503, `oops`, "ServerError", true, "HTTP 503"},
		{"not found", 404, `{"message":"Trust anchor not found"}`, "ResourceNotFound", false, "Trust anchor not found"},
		{"validation", 400, `{"message":"bad \u001b[31m value"}`, "ValidationException", false, `bad \x1b[31m value`},
		{"huge", 201, strings.Repeat("x", maxBody+1), "InvalidResponse", true, "larger than"},
		{"endless", 201, "", "InvalidResponse", true, "larger than"},
		{"not json", 201, `<html>`, "InvalidResponse", true, "not a CreateSession document"},
		{"empty set", 201, `{"credentialSet":[]}`, "InvalidResponse", true, "credentialSet[0]"},
		{"missing token", 201, `{"credentialSet":[{"credentials":{"accessKeyId":"ASIA","secretAccessKey":"s3cr3t-value","expiration":"2099-01-01T00:00:00Z"}}]}`, "InvalidResponse", true, "lack sessionToken"},
		{"expired", 201, `{"credentialSet":[{"credentials":{"accessKeyId":"ASIA","secretAccessKey":"s3cr3t-value","sessionToken":"tok","expiration":"2001-01-01T00:00:00Z"}}]}`, "ExpiredCredentials", true, "2001-01-01"},
		{"redirect", 302, ``, "Redirect", false, "not followed"},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if tc.status == 302 {
				w.Header().Set("Location", "/elsewhere")
			}
			w.WriteHeader(tc.status)
			if tc.name == "endless" { // a body that never ends: only the read's bound stops it
				chunk := make([]byte, 32<<10)
				for {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}
			_, _ = w.Write([]byte(tc.body))
		}))
		s := settingsFor(t, f, srv.URL)
		_, err := s.createSession(context.Background(), newClient(), identity{leaf: id.Cert, key: id.Key})
		srv.Close()
		se := sourcetest.WantError(t, err, tc.code, tc.retryable, tc.want)
		if strings.Contains(se.Message, "s3cr3t-value") {
			t.Errorf("%s: error quotes the secret: %s", tc.name, se.Message)
		}
	}
}

// TestParseCredentialsIdentity: the assumed role's ARN and account are reported.
func TestParseCredentialsIdentity(t *testing.T) {
	b, _ := json.Marshal(map[string]any{"credentialSet": []any{map[string]any{
		"assumedRoleUser": map[string]string{"arn": "arn:aws:sts::444455556666:assumed-role/r/s"},
		"credentials":     map[string]string{"accessKeyId": "A", "secretAccessKey": "S", "sessionToken": "T", "expiration": "2099-01-01T00:00:00.000Z"},
	}}})
	c, err := parseCredentials(b, "x", time.Now())
	if err != nil || c.AccountID != "444455556666" || c.ARN != "arn:aws:sts::444455556666:assumed-role/r/s" || c.Expires.Year() != 2099 {
		t.Errorf("%+v %v", c, err)
	}
	var _ shared.Credentials = c
}
