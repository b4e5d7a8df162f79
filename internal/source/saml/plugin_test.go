package saml_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/fakesaml"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestThroughPluginProcess loads HCL with a saml role and refreshes it through the
// real brs-plugin-saml subprocess at the verifying fake STS: saml_command runs at
// each refresh, its standard error reaches the host's log without the assertion,
// and a stale assertion comes back as a retryable error while the credentials in
// hand stay.
func TestThroughPluginProcess(t *testing.T) {
	w := newWorld(t)
	bin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-saml")
	first := w.write(t, fakesaml.Assertion{Roles: pairs(devRole, okta, admin, okta)})
	hcl := filepath.Join(t.TempDir(), "brs.hcl")
	src := fmt.Sprintf(`
role "dev" {
  source   = "saml"
  region   = "us-east-1"
  endpoint = %q
  config {
    saml_command = %q
    role_arn     = %q
    duration     = "15m"
  }
}
`, w.sts.URL, "echo 'signing in at the IdP' >&2; cat "+w.file+" >&2; "+w.command, devRole)
	if err := os.WriteFile(hcl, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &waitBuffer{notify: make(chan struct{}, 1)}
	h, err := host.Load(context.Background(), hcl, host.WithPluginDir(filepath.Dir(bin)),
		host.WithLogger(hclog.New(&hclog.LoggerOptions{Name: "brs", Level: hclog.Trace, Output: logs})))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	defer h.Close()
	ctx := context.Background()
	c1, err := h.Credentials(ctx, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if st := h.Status(); st[0].Plugin != bin || !strings.Contains(c1.ARN, "assumed-role/dev/") {
		t.Errorf("served by %q, ARN %q", st[0].Plugin, c1.ARN)
	}
	second := w.write(t, fakesaml.Assertion{Roles: pairs(devRole, okta, admin, okta)})
	if err := h.Refresh(ctx, "dev"); err != nil {
		t.Fatal(err)
	}
	c2, _ := h.Credentials(ctx, "dev")
	if c2.AccessKeyID == c1.AccessKeyID || w.runCount() != 2 {
		t.Errorf("keys %s then %s, %d runs of saml_command; want two keys and two runs", c1.AccessKeyID, c2.AccessKeyID, w.runCount())
	}

	stale := w.write(t, fakesaml.Assertion{Roles: pairs(devRole, okta), Issued: w.clock.Now().Add(-10 * time.Minute), Lifetime: time.Hour})
	err = h.Refresh(ctx, "dev")
	if err == nil || !strings.Contains(err.Error(), "ExpiredTokenException") {
		t.Errorf("refresh with a stale assertion: %v", err)
	}
	if c, err := h.Credentials(ctx, "dev"); err != nil || c.AccessKeyID != c2.AccessKeyID {
		t.Errorf("after the failed refresh: %v, %v; want the still-valid credentials", c.AccessKeyID, err)
	}
	logs.waitFor(t, "signing in at the IdP")
	h.Close()
	all := logs.String()
	for _, b64 := range []string{first, second, stale} {
		noSecret(t, all, b64)
	}
	for _, secret := range []string{c1.SecretAccessKey, c2.SessionToken} {
		if strings.Contains(all, secret) {
			t.Errorf("the host's log holds a credential")
		}
	}
}

// waitBuffer is a concurrency-safe log destination that a test can wait on.
type waitBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	notify chan struct{}
}

func (w *waitBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	n, err := w.buf.Write(p)
	w.mu.Unlock()
	select {
	case w.notify <- struct{}{}:
	default:
	}
	return n, err
}

func (w *waitBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor blocks until the log holds s, for at most 10 seconds: the plugin's stderr
// reaches the host over a stream of its own, after the refresh's answer.
func (w *waitBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(w.String(), s) {
		select {
		case <-w.notify:
		case <-deadline:
			t.Fatalf("the log never showed %q:\n%s", s, w.String())
		}
	}
}
