package sourcetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
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

// LoadHost writes hcl to a file and loads it with a host that runs the plugin built
// from the main package pluginPkg, e.g. "github.com/brs-go/brs/cmd/brs-plugin-ecs".
// The host is closed when the test ends.
func LoadHost(t *testing.T, pluginPkg, hcl string) (*host.Host, error) {
	t.Helper()
	bin := plugintestbin.Build(t, pluginPkg)
	path := filepath.Join(t.TempDir(), "brs.hcl")
	if err := os.WriteFile(path, []byte(hcl), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BRS_PLUGIN_DIR", "")
	h, err := host.Load(context.Background(), path, host.WithPluginDir(filepath.Dir(bin)))
	if h != nil {
		t.Cleanup(func() { h.Close() })
	}
	return h, err
}

// Refresh calls r.Refresh with req and returns the credentials of its answer.
func Refresh(ctx context.Context, r shared.Refresher, req shared.RefreshRequest) (shared.Credentials, error) {
	resp, err := r.Refresh(ctx, &req)
	if err != nil {
		return shared.Credentials{}, err
	}
	return resp.Credentials, nil
}

// Validate calls r.Validate with cfg and returns the diagnostics of its answer.
func Validate(ctx context.Context, r shared.Refresher, cfg shared.Config) (shared.Diagnostics, error) {
	resp, err := r.Validate(ctx, &shared.ValidateRequest{Role: "test", Config: cfg})
	if err != nil {
		return nil, err
	}
	return resp.Diagnostics, nil
}
