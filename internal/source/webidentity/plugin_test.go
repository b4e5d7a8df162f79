package webidentity_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/brs-go/brs/internal/testutil/fifotest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestThroughPluginProcess loads HCL with web_identity roles and refreshes them at
// MinIO through the real brs-plugin-web_identity subprocess: the token file is read
// again at each refresh, a missing one reaches the caller as a retryable error naming
// it, and no token reaches the host's log.
func TestThroughPluginProcess(t *testing.T) {
	idp, srv := startIdPAndMinIO(t)
	bin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-web_identity")
	path := tokenPath(t)
	first := idp.Token(t, time.Hour)
	writeToken(t, path, first)
	commandToken := idp.Token(t, time.Hour)
	commandFile := filepath.Join(t.TempDir(), "ci-token")
	writeToken(t, commandFile, commandToken)

	hcl := filepath.Join(t.TempDir(), "brs.hcl")
	src := fmt.Sprintf(`
role "pods" {
  source   = "web_identity"
  region   = "us-east-1"
  endpoint = %[1]q
  config {
    role_arn   = "arn:aws:iam::111122223333:role/pods"
    token_file = %[2]q
    duration   = "15m"
  }
}

role "ci" {
  source   = "web_identity"
  endpoint = %[1]q
  config {
    role_arn      = "arn:aws:iam::111122223333:role/ci"
    token_command = "echo 'asking the CI for an ID token' >&2; cat %[3]s"
  }
}
`, srv.Endpoint, path, commandFile)
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
	c1, err := h.Credentials(ctx, "pods")
	if err != nil {
		t.Fatal(err)
	}
	listBuckets(t, srv, c1)
	if st := h.Status(); st[0].Plugin != bin {
		t.Errorf("served by %q, want %q", st[0].Plugin, bin)
	}

	second := idp.Token(t, time.Hour)
	writeToken(t, path, second)
	if err := h.Refresh(ctx, "pods"); err != nil {
		t.Fatalf("refresh with the rotated token: %v", err)
	}
	c2, _ := h.Credentials(ctx, "pods")
	if c2.AccessKeyID == c1.AccessKeyID {
		t.Errorf("the refresh kept the key %q", c1.AccessKeyID)
	}
	listBuckets(t, srv, c2)

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	err = h.Refresh(ctx, "pods")
	want := "TokenFileMissing: the web identity token file " + path + " does not exist"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("refresh without the token file: %v, want %q", err, want)
	}
	if c, err := h.Credentials(ctx, "pods"); err != nil || c.AccessKeyID != c2.AccessKeyID {
		t.Errorf("after the failed refresh: %v, %v; want the still-valid credentials", c.AccessKeyID, err)
	}

	c3, err := h.Credentials(ctx, "ci")
	if err != nil {
		t.Fatalf("token_command role: %v", err)
	}
	listBuckets(t, srv, c3)
	logs.waitFor(t, "asking the CI for an ID token")

	h.Close()
	all := logs.String()
	for _, secret := range []string{first, second, commandToken, c1.SecretAccessKey, c2.SessionToken, c3.SecretAccessKey} {
		if strings.Contains(all, secret) {
			t.Errorf("the host's log contains a secret:\n%s", all)
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

// TestThroughPluginProcessHostileTokenFile runs the brs-plugin-web_identity subprocess
// with a token_file that is a symlink to /dev/zero, then a named pipe, then a file over
// 64 KiB: each refresh fails at once with an error that names the file and what is
// wrong with it, and no request leaves (the endpoint is a closed port).
func TestThroughPluginProcessHostileTokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token")
	if err := os.Symlink("/dev/zero", path); err != nil {
		t.Fatal(err)
	}
	h, err := sourcetest.LoadHost(t, "github.com/brs-go/brs/cmd/brs-plugin-web_identity", fmt.Sprintf(`
role "pods" {
  source   = "web_identity"
  endpoint = "http://127.0.0.1:9"
  config {
    role_arn   = "arn:aws:iam::111122223333:role/pods"
    token_file = %q
  }
}
`, path))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	ctx := context.Background()
	for _, c := range []struct {
		create func() error
		want   string
	}{
		{func() error { return os.Symlink("/dev/zero", path) }, "the web identity token file " + path + ": it is a character device, not a regular file"},
		{func() error { return fifotest.Mkfifo(path, 0o600) }, "it is a named pipe, not a regular file"},
		{func() error { return os.WriteFile(path, bytes.Repeat([]byte("x"), 64<<10+1), 0o600) }, "is larger than 64 KiB"},
	} {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := c.create(); err != nil {
			t.Fatal(err)
		}
		err := h.Refresh(ctx, "pods")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Refresh: %v; want %q", err, c.want)
		}
	}
}
