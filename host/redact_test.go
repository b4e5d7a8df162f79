package host_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestNoSecretsInLogs: with everything logged at trace level, including a plugin that
// logs the secrets it mints (structured, in its message, and as raw stderr) and a
// sensitive config value, no secret access key, session token or sensitive value
// reaches the log or an error.
func TestNoSecretsInLogs(t *testing.T) {
	var logs logBuffer
	const password = "hunter2-correct-horse-battery"
	h := load(t, `
plugin "test" {
  command = "{{test}}"
}
role "chatty" {
  source = "test"
  config {
    log_secrets = true
    password    = "`+password+`"
  }
}
role "denied" {
  source = "test"
  config {
    fail = "AccessDenied"
  }
}
`, host.WithLogger(newLogger(&logs)))
	ctx := context.Background()
	var secrets []string
	// More refreshes than the redactor remembers would be needed to leak; 3 is enough
	// for a late stderr line of the first to arrive after the last.
	for i := range 3 {
		if i > 0 {
			if err := h.Refresh(ctx, "chatty"); err != nil {
				t.Fatal(err)
			}
		}
		c, err := h.Credentials(ctx, "chatty")
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, c.SecretAccessKey, c.SessionToken)
	}
	_, err := h.Credentials(ctx, "denied")
	if err == nil {
		t.Fatal("the denied role returned credentials")
	}
	logs.waitFor(t, "raw stderr line", 3)
	logs.waitFor(t, "minted credentials", 3)
	out := logs.String() + err.Error()
	for _, s := range append(secrets, password) {
		if strings.Contains(out, s) {
			t.Errorf("secret %q leaked into the log:\n%s", s, out)
		}
	}
	if n := strings.Count(out, "[REDACTED]"); n < 12 {
		t.Errorf("%d redactions, want at least 12 (4 per refresh):\n%s", n, out)
	}
	if !strings.Contains(out, "refreshed") || !strings.Contains(out, "AccessDenied") {
		t.Errorf("the log lacks the host's own lines:\n%s", out)
	}
}

// TestEnvValueNotInDiagnostics: a secret passed through env() into a field that the
// real sts plugin refuses, and quotes in its diagnostic ("%q is not an ARN"), appears
// in no error, diagnostic text or log line; the diagnostic still points at the field.
// And file("/proc/self/environ"), which would hold the base secret key, is refused.
func TestEnvValueNotInDiagnostics(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY"
	t.Setenv("BRS_TEST_ROLE_ARN", secret)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	bin := plugintestbin.Build(t, stsPluginPkg)
	for name, c := range map[string]struct {
		expr, summary string
		line, column  int
	}{
		"env":       {`env("BRS_TEST_ROLE_ARN")`, "Invalid role ARN", 5, 16},
		"template":  {`"prefix-${env("BRS_TEST_ROLE_ARN")}"`, "Invalid role ARN", 5, 16},
		"source":    {`"x"`, "Unknown credential source", 2, 12},
		"procfs":    {`file("/proc/self/environ")`, "Cannot read file", 5, 16},
		"proc link": {`file("environ")`, "Cannot read file", 5, 16},
	} {
		t.Run(name, func(t *testing.T) {
			source := `"sts"`
			if name == "source" {
				source = `env("BRS_TEST_ROLE_ARN")` // no plugin provides it, and the error names it
			}
			path := writeHCL(t, `role "r" {
  source = `+source+`
  region = "us-east-1"
  config {
    role_arn = `+c.expr+`
  }
}
`)
			if err := os.Symlink("/proc/self/environ", filepath.Join(filepath.Dir(path), "environ")); err != nil {
				t.Fatal(err)
			}
			var logs logBuffer
			h, err := host.Load(context.Background(), path, host.WithPluginDir(filepath.Dir(bin)), host.WithLogger(newLogger(&logs)))
			if err == nil {
				h.Close()
				t.Fatal("Load accepted the file")
			}
			var le *host.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %T %v, want a *host.LoadError", err, err)
			}
			var text bytes.Buffer
			if err := le.WriteText(&text, false); err != nil {
				t.Fatal(err)
			}
			all := err.Error() + "\n" + text.String() + "\n" + logs.String()
			if strings.Contains(all, secret) || strings.Contains(all, "YSECRETK") {
				t.Fatalf("the secret leaked:\n%s", all)
			}
			d := le.Diagnostics[0]
			if d.Summary != c.summary || d.Subject.Start.Line != c.line || d.Subject.Start.Column != c.column {
				t.Fatalf("first diagnostic %q at %v, want %q at %d,%d:\n%s", d.Summary, d.Subject, c.summary, c.line, c.column, all)
			}
			if (name == "env" || name == "template" || name == "source") && !strings.Contains(d.Detail, "[REDACTED]") {
				t.Fatalf("the plugin's diagnostic %q does not show the redaction: the test proves nothing", d.Detail)
			}
		})
	}
}

// TestChattyPluginNeverLeaks: a real plugin that logs far more lines holding its new
// secret key during one Refresh than the log gate holds gets none of them written
// unredacted: the gate holds what it can and drops the rest, and says how many it
// dropped, so every line is accounted for.
func TestChattyPluginNeverLeaks(t *testing.T) {
	const lines = 3000
	var logs logBuffer
	h := load(t, `
plugin "test" {
  command = "{{test}}"
}
role "chatty" {
  source = "test"
  config {
    log_lines = `+strconv.Itoa(lines)+`
  }
}
`, host.WithLogger(newLogger(&logs)))
	c, err := h.Credentials(context.Background(), "chatty")
	if err != nil {
		t.Fatal(err)
	}
	// Every line is written, redacted, or counted as dropped; wait until they all are.
	dropped := regexp.MustCompile(`plugin log lines dropped.* lines=(\d+)`)
	accounted := func() (written, lost int) {
		out := logs.String()
		written = strings.Count(out, "of "+strconv.Itoa(lines)+": minted")
		for _, m := range dropped.FindAllStringSubmatch(out, -1) {
			n, _ := strconv.Atoi(m[1])
			lost += n
		}
		return written, lost
	}
	logs.mu.Lock()
	if logs.written == nil {
		logs.written = make(chan struct{}, 1)
	}
	wrote := logs.written
	logs.mu.Unlock()
	deadline := time.After(10 * time.Second)
	for {
		written, lost := accounted()
		if written+lost == lines {
			if out := logs.String(); strings.Contains(out, c.SecretAccessKey) {
				t.Fatalf("the secret key %q was logged (%d lines written, %d dropped)", c.SecretAccessKey, written, lost)
			}
			if lost == 0 {
				t.Fatalf("no line was dropped: the gate held %d lines, and the test proves nothing", written)
			}
			t.Logf("%d lines written, %d dropped", written, lost)
			return
		}
		select {
		case <-wrote:
		case <-deadline:
			t.Fatalf("%d lines written and %d dropped, want %d in all", written, lost, lines)
		}
	}
}
