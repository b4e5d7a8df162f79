package process

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/shared"
)

// Distinctive secrets, so that a test can tell if an error repeats the output.
const (
	docKey    = "ASIADOCUMENTTEST0001"
	docSecret = "doc-secret-access-key-0123456789"
	docToken  = "doc-session-token-0123456789"
)

func TestParseOutput(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	c, err := parseOutput([]byte(`{"Version": 1, "AccessKeyId": "`+docKey+`", "SecretAccessKey": "`+docSecret+`",
		"SessionToken": "`+docToken+`", "Expiration": "2026-11-24T14:00:00+01:00", "AccountId": "123456789012", "Extra": true}`+"\n"), now)
	if err != nil {
		t.Fatal(err)
	}
	want := shared.Credentials{AccessKeyID: docKey, SecretAccessKey: docSecret, SessionToken: docToken,
		Expires: time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC), AccountID: "123456789012"}
	if c != want {
		t.Errorf("got %+v, want %+v", c, want)
	}
	// Field names match case-insensitively, as in the AWS SDK for Go.
	c, err = parseOutput([]byte(`{"version": 1, "accessKeyId": "AKIALOWER", "secretaccesskey": "lower-secret"}`), now)
	if err != nil || c.AccessKeyID != "AKIALOWER" || c.SecretAccessKey != "lower-secret" {
		t.Errorf("lower-case names: %v, %v", c, err)
	}

	c, err = parseOutput([]byte(`{"Version": 1, "AccessKeyId": "AKIASTATIC", "SecretAccessKey": "static-secret"}`), now)
	if err != nil || c.SessionToken != "" || c.CanExpire() {
		t.Errorf("long-term credentials: %v, %v; want no session token and no expiry", c, err)
	}
}

func TestParseOutputErrors(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	full := func(fields string) string {
		return `{"AccessKeyId": "` + docKey + `", "SecretAccessKey": "` + docSecret + `", "SessionToken": "` + docToken + `"` + fields + `}`
	}
	cases := []struct {
		name, out, code, want string
	}{
		{"empty", "  \n", "InvalidOutput", "printed nothing on standard output"},
		{"garbage", "Enter your password: " + docSecret, "InvalidOutput", "not a JSON object (invalid at byte 1 of"},
		{"two documents", full(`, "Version": 1`) + full(`, "Version": 1`), "InvalidOutput", "not a JSON object (invalid at byte"},
		{"truncated", full(`, "Version": 1`)[:60], "InvalidOutput", "not a JSON object"},
		{"array", `["` + docSecret + `"]`, "InvalidOutput", "not a JSON object"},
		{"string", `"` + docSecret + `"`, "InvalidOutput", "not a JSON object"},
		{"no version", full(""), "InvalidOutput", "has no Version"},
		{"version 2", full(`, "Version": 2`), "InvalidOutput", "has Version 2; brs understands Version 1 only"},
		{"version string", full(`, "Version": "1"`), "InvalidOutput", "has a Version that is not a number"},
		{"key a number", `{"Version": 1, "AccessKeyId": 123456789, "SecretAccessKey": "` + docSecret + `"}`, "InvalidOutput", "has a AccessKeyId that is not a string"},
		{"no access key", `{"Version": 1, "SecretAccessKey": "` + docSecret + `"}`, "InvalidOutput", "has no AccessKeyId"},
		{"no secret", `{"Version": 1, "AccessKeyId": "` + docKey + `", "SessionToken": "` + docToken + `"}`, "InvalidOutput", "has no SecretAccessKey"},
		{"expiration unparsable", full(`, "Version": 1, "Expiration": "tomorrow ` + docSecret + `"`), "InvalidOutput", "Expiration that is not an RFC 3339 time"},
		{"expiration without zone", full(`, "Version": 1, "Expiration": "2026-11-24T13:00:00"`), "InvalidOutput", "Expiration that is not an RFC 3339 time"},
		{"expired", full(`, "Version": 1, "Expiration": "2026-11-24T11:59:00Z"`), "ExpiredCredentials", "expired at 2026-11-24T11:59:00Z, 1m0s ago"},
		{"expires now", full(`, "Version": 1, "Expiration": "2026-11-24T12:00:00Z"`), "ExpiredCredentials", "expired at 2026-11-24T12:00:00Z, 0s ago"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseOutput([]byte(c.out), now)
			var e *shared.Error
			if !errors.As(err, &e) || e.Code != c.code || e.Retryable {
				t.Fatalf("got %#v, want a permanent %s", err, c.code)
			}
			if !strings.Contains(e.Message, c.want) {
				t.Errorf("message %q does not contain %q", e.Message, c.want)
			}
			for _, secret := range []string{docKey, docSecret, docToken, "123456789"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q repeats the output's %q", err, secret)
				}
			}
		})
	}
}
