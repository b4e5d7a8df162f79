package sourcetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/brs-go/brs/shared"
)

// ConfigJSON returns a config block with the given attributes.
func ConfigJSON(t testing.TB, attrs map[string]string) shared.Config {
	t.Helper()
	b, err := json.Marshal(attrs)
	if err != nil {
		t.Fatal(err)
	}
	return shared.Config(b)
}

// WantError fails the test unless err is a *shared.Error with the given code and
// retryability whose message holds every one of want. It returns the error.
func WantError(t testing.TB, err error, code string, retryable bool, want ...string) *shared.Error {
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

// SyncBuffer is a bytes.Buffer that several goroutines (the host's, go-plugin's) can
// write while a test reads it. The zero value is ready to use.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what has been written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
