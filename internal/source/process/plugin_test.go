package process_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

const pluginPkg = "github.com/brs-go/brs/cmd/brs-plugin-process"

// loadHCL writes src to a brs.hcl and loads it with the given plugin directories and
// a logger writing to logs; the host is closed when the test ends.
func loadHCL(t *testing.T, src string, logs *logBuffer, pluginDirs ...string) *host.Host {
	t.Helper()
	path := filepath.Join(t.TempDir(), "brs.hcl")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := []host.Option{host.WithLogger(hclog.New(&hclog.LoggerOptions{Name: "brs", Level: hclog.Trace, Output: logs}))}
	for _, d := range pluginDirs {
		opts = append(opts, host.WithPluginDir(d))
	}
	h, err := host.Load(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// TestThroughPluginProcess loads HCL with roles of source "process" and refreshes them
// through the real brs-plugin-process subprocess: the command's stderr reaches the
// host's log, with the sensitive env values redacted; the command does not inherit
// go-plugin's launch variables; a failure reaches the caller with its exit status and
// without the command's output.
func TestThroughPluginProcess(t *testing.T) {
	bin := plugintestbin.Build(t, pluginPkg)
	const vaultToken = "vault-token-for-the-helper-0123456789"
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	good := script(t, `echo "helper says hello; token=$VAULT_TOKEN; cookie=${BRS_PLUGIN_MAGIC_COOKIE-unset}" >&2
echo '`+credentialsJSON(t, expires)+`'`)
	broken := script(t, "echo '"+credentialsJSON(t, expires)+"'\necho 'helper is broken' >&2\nexit 3")
	logs := newLogBuffer()
	h := loadHCL(t, fmt.Sprintf(`
role "helper" {
  source = "process"
  config {
    command = %q
    timeout = "20s"
    env = {
      VAULT_TOKEN = %q
    }
  }
}
role "broken" {
  source = "process"
  config {
    command = %q
  }
}
`, good, vaultToken, broken), logs, filepath.Dir(bin))

	ctx := context.Background()
	c, err := h.Credentials(ctx, "helper")
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != testKey || c.SecretAccessKey != testSecret || c.SessionToken != testToken || !c.Expires.Equal(expires) {
		t.Errorf("got %v, want the helper's credentials expiring at %v", c, expires)
	}
	if st := h.Status(); st[0].Plugin != bin {
		t.Errorf("served by %q, want %q", st[0].Plugin, bin)
	}
	logs.waitFor(t, "helper says hello")
	if !strings.Contains(logs.String(), "token=[REDACTED]; cookie=unset") {
		t.Errorf("the helper's stderr line in the log does not show a redacted token and no go-plugin cookie:\n%s", logs)
	}

	_, err = h.Credentials(ctx, "broken")
	if err == nil {
		t.Fatal("the broken helper gave credentials")
	}
	want := `role "broken" (source "process"): no valid credentials: CommandFailed: command exited with status 3; its standard error is in the brs log`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
	noSecrets(t, "error", err.Error())
	logs.waitFor(t, "helper is broken")

	h.Close()
	all := logs.String()
	noSecrets(t, "the host's log", all)
	if strings.Contains(all, vaultToken) {
		t.Errorf("the host's log contains the env value:\n%s", all)
	}
}

// logBuffer is a concurrency-safe log destination that a test can wait on.
type logBuffer struct {
	buf    sourcetest.SyncBuffer
	notify chan struct{} // receives a value after writes; made by newLogBuffer
}

func newLogBuffer() *logBuffer { return &logBuffer{notify: make(chan struct{}, 1)} }

func (l *logBuffer) Write(p []byte) (int, error) {
	n, err := l.buf.Write(p)
	select {
	case l.notify <- struct{}{}:
	default:
	}
	return n, err
}

func (l *logBuffer) String() string { return l.buf.String() }

// waitFor blocks until the log holds s, for at most 10 seconds: the plugin's stderr
// reaches the host over a stream of its own, after the refresh's answer.
func (l *logBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(l.String(), s) {
		select {
		case <-l.notify:
		case <-deadline:
			t.Fatalf("the log never showed %q:\n%s", s, l.String())
		}
	}
}

// TestLongStderrLineThroughPluginProcess: a command whose standard error holds a line
// of ~120 KB made of its secret key, through the real brs-plugin-process subprocess.
// The host splits a line over 64 KiB into pieces and redacts each alone, so the piece
// cut inside a copy of the secret would show part of it; the plugin drops such a line
// before it leaves and passes on a note of its length instead.
func TestLongStderrLineThroughPluginProcess(t *testing.T) {
	bin := plugintestbin.Build(t, pluginPkg)
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	helper := script(t, `i=0; while [ $i -lt 4000 ]; do printf '%s' '`+testSecret+`'; i=$((i+1)); done >&2
printf '\nhelper done\n' >&2
echo '`+credentialsJSON(t, expires)+`'`)
	logs := newLogBuffer()
	h := loadHCL(t, fmt.Sprintf(`
role "helper" {
  source = "process"
  config {
    command = %q
  }
}
`, helper), logs, filepath.Dir(bin))
	if _, err := h.Credentials(context.Background(), "helper"); err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "helper done")
	h.Close()
	all := logs.String()
	if want := fmt.Sprintf("[brs: a line of %d bytes of standard error was dropped: longer than 16 KiB]", 4000*len(testSecret)); !strings.Contains(all, want) {
		t.Errorf("the log does not say %q", want)
	}
	if strings.Contains(all, "[REDACTED][REDACTED]") || strings.Contains(all, testSecret[:8]) {
		t.Errorf("pieces of the long line reached the log:\n%.2000s", all)
	}
}
