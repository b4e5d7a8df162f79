package ecs_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// configJSON returns a config block with the given attributes.
func configJSON(t testing.TB, attrs map[string]string) shared.Config {
	t.Helper()
	b, err := json.Marshal(attrs)
	if err != nil {
		t.Fatal(err)
	}
	return shared.Config(b)
}

// refresh runs one refresh of a role with the given config attributes.
func refresh(t testing.TB, r shared.Refresher, attrs map[string]string) (shared.Credentials, error) {
	t.Helper()
	return r.Refresh(context.Background(), shared.Request{Role: "app", Config: configJSON(t, attrs)})
}

// wantError fails the test unless err is a *shared.Error with the given code and
// retryability whose message holds every one of want.
func wantError(t testing.TB, err error, code string, retryable bool, want ...string) *shared.Error {
	t.Helper()
	var se *shared.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T), want a *shared.Error %s", err, err, code)
	}
	if se.Code != code || se.Retryable != retryable {
		t.Errorf("error %q: code %q retryable %v, want %q retryable %v", se.Message, se.Code, se.Retryable, code, retryable)
	}
	for _, w := range want {
		if !strings.Contains(se.Message, w) {
			t.Errorf("error %q does not say %q", se.Message, w)
		}
	}
	return se
}
