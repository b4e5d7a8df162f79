package host_test

import (
	"context"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
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
