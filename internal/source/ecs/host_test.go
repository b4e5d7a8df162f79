package ecs_test

import (
	"context"
	"errors"
	"github.com/brs-go/brs/internal/testutil/fifotest"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// loadHost writes hcl to a file and loads it with the real brs-plugin-ecs binary.
func loadHost(t *testing.T, hcl string) (*host.Host, error) {
	t.Helper()
	return sourcetest.LoadHost(t, "github.com/brs-go/brs/cmd/brs-plugin-ecs", hcl)
}

// TestThroughHost runs the source as the host does, in the brs-plugin-ecs subprocess:
// credentials from the agent, a rotated token file, and a 500 that the next refresh
// gets past while the host keeps the valid credentials.
func TestThroughHost(t *testing.T) {
	f := startFakeAgent(t, "pod-token-one")
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("pod-token-one"), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := loadHost(t, `
role "pod" {
  source = "ecs"
  config {
    uri        = `+strconv.Quote(f.url())+`
    token_file = `+strconv.Quote(tokenFile)+`
    timeout    = "2s"
  }
}
`)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if w := h.Warnings(); len(w) > 0 {
		t.Errorf("warnings: %v", w)
	}
	ctx := context.Background()
	creds, err := h.Credentials(ctx, "pod")
	if err != nil {
		t.Fatalf("Credentials: %v", err)
	}
	if want, secret, _ := fakeCredentials(1); creds.AccessKeyID != want || creds.SecretAccessKey != secret || creds.AccountID != "123456789012" {
		t.Errorf("got %v, want the agent's %s", creds, want)
	}

	if err := os.WriteFile(tokenFile, []byte("pod-token-two"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.setToken("pod-token-two")
	if err := h.Refresh(ctx, "pod"); err != nil {
		t.Fatalf("Refresh after rotating the token: %v", err)
	}

	f.failWith(http.StatusInternalServerError)
	err = h.Refresh(ctx, "pod")
	if err == nil || !strings.Contains(err.Error(), `role "pod" (source "ecs")`) || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("Refresh at a failing agent: %v, want an HTTP 500 error naming the role", err)
	}
	creds, err = h.Credentials(ctx, "pod")
	if want, _, _ := fakeCredentials(2); err != nil || creds.AccessKeyID != want {
		t.Errorf("Credentials after a failed refresh = %v, %v; want the valid %s", creds, err, want)
	}
	if st := h.Status()[0]; st.Failures != 1 || st.LastError == nil {
		t.Errorf("Status = %+v, want one failure recorded", st)
	}
	if err := h.Refresh(ctx, "pod"); err != nil {
		t.Fatalf("Refresh after the agent recovered: %v", err)
	}
	if creds, err = h.Credentials(ctx, "pod"); err != nil || creds.AccessKeyID != "ASIAFAKEECSAGENT0003" {
		t.Errorf("Credentials after recovery = %v, %v; want ASIAFAKEECSAGENT0003", creds, err)
	}
	want := []string{"pod-token-one", "pod-token-two", "pod-token-two", "pod-token-two"}
	if got := f.authorizations(); !slices.Equal(got, want) {
		t.Errorf("the agent got Authorization %q, want %q", got, want)
	}
}

// TestThroughHostRefusedToken checks the error a caller sees when the agent refuses
// the token: the role, the source, the cause and the advice, without the token.
func TestThroughHostRefusedToken(t *testing.T) {
	f := startFakeAgent(t, "the-right-token")
	h, err := loadHost(t, `
role "app" {
  source = "ecs"
  config {
    uri   = `+strconv.Quote(f.url())+`
    token = "Bearer the-wrong-token"
  }
}
`)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, err = h.Credentials(context.Background(), "app")
	if err == nil {
		t.Fatal("Credentials succeeded with a wrong token")
	}
	for _, want := range []string{`brs: role "app" (source "ecs"): no valid credentials: InvalidToken:`, "HTTP 401", "check token / token_file"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "the-wrong-token") {
		t.Errorf("error %q shows the token", err)
	}
}

// TestThroughHostDisallowedHost checks that host.Load refuses plain http to another
// machine, pointing at the uri attribute.
func TestThroughHostDisallowedHost(t *testing.T) {
	_, err := loadHost(t, `
role "app" {
  source = "ecs"
  config {
    uri = "http://192.0.2.10/v1/credentials"
  }
}
`)
	var le *host.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load = %v, want a *host.LoadError", err)
	}
	for _, want := range []string{"brs.hcl:5,", "Host not allowed", "192.0.2.10", "use https"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// TestThroughHostHostileTokenFile runs the brs-plugin-ecs subprocess with a token_file
// that is a symlink to /dev/zero, then a named pipe: each refresh fails at once,
// naming the file and what it is, and the agent is never asked.
func TestThroughHostHostileTokenFile(t *testing.T) {
	f := startFakeAgent(t, "pod-token")
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.Symlink("/dev/zero", tokenFile); err != nil {
		t.Fatal(err)
	}
	h, err := loadHost(t, `
role "pod" {
  source = "ecs"
  config {
    uri        = `+strconv.Quote(f.url())+`
    token_file = `+strconv.Quote(tokenFile)+`
  }
}
`)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	ctx := context.Background()
	_, err = h.Credentials(ctx, "pod")
	if err == nil || !strings.Contains(err.Error(), "TokenFileError: reading token_file "+tokenFile+": it is a character device, not a regular file") {
		t.Fatalf("token_file -> /dev/zero: %v", err)
	}
	if err := os.Remove(tokenFile); err != nil {
		t.Fatal(err)
	}
	if err := fifotest.Mkfifo(tokenFile, 0o600); err != nil {
		t.Fatal(err)
	}
	err = h.Refresh(ctx, "pod")
	if err == nil || !strings.Contains(err.Error(), "it is a named pipe, not a regular file") {
		t.Fatalf("token_file a named pipe: %v", err)
	}
	if n := len(f.authorizations()); n != 0 {
		t.Errorf("the agent got %d requests, want none", n)
	}
}

// TestTimeoutBoundsAtLoad: the host refuses a timeout outside the attribute's bounds
// at load, at the value's file:line:col, before the plugin sees it.
func TestTimeoutBoundsAtLoad(t *testing.T) {
	_, err := loadHost(t, `
role "pod" {
  source = "ecs"
  config {
    uri     = "http://127.0.0.1:1/creds"
    timeout = "10m"
  }
}
`)
	if err == nil || !strings.Contains(err.Error(), "brs.hcl:6,15-20") || !strings.Contains(err.Error(), `timeout must be between 100ms and 5m; "10m" is not`) {
		t.Fatalf("Load = %v, want the duration's bounds at brs.hcl:6,15-20", err)
	}
}
