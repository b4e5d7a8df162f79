package process_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// Distinctive secrets that the test scripts print, so that a test can tell whether an
// error or a log line repeats them.
const (
	testKey    = "ASIAPROCESSTEST00001"
	testSecret = "process-test-secret-0123456789"
	testToken  = "process-test-session-token-0123456789"
)

// credentialsJSON returns credential_process JSON with the test secrets, expiring at
// expires.
func credentialsJSON(t *testing.T, expires time.Time) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"Version": 1, "AccessKeyId": testKey, "SecretAccessKey": testSecret, "SessionToken": testToken,
		"Expiration": expires.UTC().Format(time.RFC3339),
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// script writes an executable shell script with body into a new temporary directory
// and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "helper.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// configJSON returns a config block as the host would send it.
func configJSON(t *testing.T, attrs map[string]any) shared.Config {
	t.Helper()
	b, err := json.Marshal(attrs)
	if err != nil {
		t.Fatal(err)
	}
	return shared.Config(b)
}

// sharedError fails the test unless err is a *shared.Error with code and retryable,
// whose text holds none of the test secrets, and returns it.
func sharedError(t *testing.T, err error, code string, retryable bool) *shared.Error {
	t.Helper()
	var e *shared.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %T %v, want a *shared.Error", err, err)
	}
	if e.Code != code || e.Retryable != retryable {
		t.Fatalf("got %+v, want code %q, retryable %v", e, code, retryable)
	}
	noSecrets(t, "error", err.Error())
	return e
}

// noSecrets fails the test if s holds one of the test secrets.
func noSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{testSecret, testToken} {
		if strings.Contains(s, secret) {
			t.Errorf("%s contains the secret %q:\n%s", what, secret, s)
		}
	}
}
