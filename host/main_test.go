package host_test

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
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

func TestMain(m *testing.M) {
	if cfg := os.Getenv(envHostConfig); cfg != "" {
		os.Exit(runHost(cfg))
	}
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

const (
	testPluginPkg = "github.com/brs-go/brs/internal/testutil/testplugin"
	stsPluginPkg  = "github.com/brs-go/brs/cmd/brs-plugin-sts"
)

// writeHCL writes src to brs.hcl in a temp dir, with {{test}} replaced by the test
// plugin's path, and returns the file's path.
func writeHCL(t *testing.T, src string) string {
	t.Helper()
	if strings.Contains(src, "{{test}}") {
		src = strings.ReplaceAll(src, "{{test}}", plugintestbin.Build(t, testPluginPkg))
	}
	p := filepath.Join(t.TempDir(), "brs.hcl")
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeHCLB is writeHCL for benchmarks.
func writeHCLB(b *testing.B, src string) string {
	b.Helper()
	src = strings.ReplaceAll(src, "{{test}}", plugintestbin.Build(b, testPluginPkg))
	p := filepath.Join(b.TempDir(), "brs.hcl")
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	return p
}

// load loads src and closes the host when the test ends.
func load(t *testing.T, src string, opts ...host.Option) *host.Host {
	t.Helper()
	h, err := host.Load(context.Background(), writeHCL(t, src), opts...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// logBuffer is a concurrency-safe buffer for an hclog logger that can wait for text.
type logBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{}
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written == nil {
		l.written = make(chan struct{}, 1)
	}
	select {
	case l.written <- struct{}{}:
	default:
	}
	return l.b.Write(p)
}

// waitFor blocks until the log holds n occurrences of s.
func (l *logBuffer) waitFor(t *testing.T, s string, n int) {
	t.Helper()
	l.mu.Lock()
	if l.written == nil {
		l.written = make(chan struct{}, 1)
	}
	ch := l.written
	l.mu.Unlock()
	deadline := time.After(10 * time.Second)
	for strings.Count(l.String(), s) < n {
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("log never had %d× %q:\n%s", n, s, l.String())
		}
	}
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newLogger(w *logBuffer) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Name: "brs", Level: hclog.Trace, Output: w})
}

// pidOf returns the process ID embedded in a test plugin's access key id.
func pidOf(t *testing.T, akid string) int {
	t.Helper()
	var pid, n int
	if _, err := fmt.Sscanf(akid, "TESTPID%dN%d", &pid, &n); err != nil {
		t.Fatalf("access key id %q is not the test plugin's: %v", akid, err)
	}
	return pid
}

// processGone reports whether pid has exited and been reaped (not even a zombie).
func processGone(pid int) bool {
	_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
	return os.IsNotExist(err)
}
