package login_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/fakesignin"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// The identity the tests sign in as.
const (
	sessionName = "arn:aws:iam::111122223333:user/alice"
	account     = "111122223333"
)

// signIn starts the fake sign-in service and signs in, writing the session's cache
// file into a new directory with credentials that expire at expires. It returns the
// fake, the session, the cache directory and the file's path.
func signIn(t *testing.T, expires time.Time) (*fakesignin.Server, *fakesignin.Session, string, string) {
	t.Helper()
	f := fakesignin.Start(t, fakesignin.Options{})
	sess := f.NewSession(t, sessionName, account, 12*time.Hour)
	dir := t.TempDir()
	return f, sess, dir, sess.WriteCache(t, dir, expires)
}

// request is a refresh request for the session in dir at the fake f.
func request(f *fakesignin.Server, dir string) *shared.RefreshRequest {
	return &shared.RefreshRequest{Role: "dev", Region: "eu-west-1", Endpoint: f.URL,
		Config: shared.Config(mustJSON(map[string]string{"login_session": sessionName, "cache_dir": dir}))}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// readCache returns the cache file at path as JSON.
func readCache(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("the cache file is not JSON: %v", err)
	}
	return m
}

// noSecrets fails the test if s holds one of secrets.
func noSecrets(t *testing.T, s string, secrets []string) {
	t.Helper()
	for _, secret := range secrets {
		if secret != "" && strings.Contains(s, secret) {
			t.Errorf("%q contains the secret %q", s, secret)
		}
	}
}

// ctx is a test context.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}
