package host_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/shared"
)

// TestHostileAnswers runs a real plugin subprocess that answers as a hostile or broken
// plugin could: an 8 MiB secret key (refused by gRPC at the 1 MiB limit, before it is
// decoded), a secret over the field limit, terminal control sequences in the key id and
// the ARN, credentials that claim to expire in the year 9999, and a 1 MB error message
// full of escape sequences. Each role fails with an error that names it and the rule
// broken, the error text is bounded and escaped, the plugin process is not restarted,
// and a role served by the same process keeps working.
func TestHostileAnswers(t *testing.T) {
	h := load(t, `plugin "test" {
  command = "{{test}}"
}
role "huge" {
  source = "test"
  config {
    secret_bytes = 8388608
  }
}
role "long" {
  source = "test"
  config {
    secret_bytes = 4096
  }
}
role "esc_key" {
  source = "test"
  config {
    access_key_id = "ASIA\u001b[2J\u001b[H"
  }
}
role "esc_arn" {
  source = "test"
  config {
    arn = "arn:aws:iam::123456789012:role/\u001b]0;pwned\u0007"
  }
}
role "forever" {
  source = "test"
  config {
    expires_at = "9999-12-31T23:59:59Z"
  }
}
role "loud" {
  source = "test"
  config {
    fail               = "Boom\u001b[5m"
    fail_message       = "\u001b[31mred\u001b[0m and \u009b2J"
    fail_message_bytes = 1000000
  }
}
role "fine" {
  source = "test"
}`)
	ctx := context.Background()
	if _, err := h.Credentials(ctx, "fine"); err != nil {
		t.Fatal(err)
	}
	pid := pluginPID(h, "test")
	for role, want := range map[string]string{
		"huge":    fmt.Sprintf("InvalidResponse: the plugin's answer is larger than the 1 MiB the host accepts (grpc: received message larger than max (%d vs. 1048576))", 8388608+180),
		"long":    "InvalidResponse: plugin returned credentials that cannot be used: the secret access key is 4096 bytes long, more than the 1024 accepted",
		"esc_key": "the access key id holds a character other than printable ASCII (at byte 4)",
		"esc_arn": "the ARN holds a character other than printable ASCII (at byte 31)",
		"forever": "the credentials expire at 9999-12-31T23:59:59Z, more than 7 days from now; credentials that do not expire must have no expiry",
		"loud":    `Boom\x1b[5m: \x1b[31mred\x1b[0m and \u009b2J pad pad`,
	} {
		_, err := h.Credentials(ctx, role)
		if err == nil {
			t.Errorf("role %s: credentials accepted", role)
			continue
		}
		msg := err.Error()
		if role == "huge" {
			// The exact size of the message depends on the protobuf framing; the limit
			// is what matters.
			want = want[:strings.Index(want, "(grpc")]
		}
		if !strings.Contains(msg, want) || !strings.Contains(msg, `role "`+role+`" (source "test")`) {
			t.Errorf("role %s: err = %.300s; want %q", role, msg, want)
		}
		if strings.ContainsAny(msg, "\x1b\x07\u009b") || len(msg) > shared.MaxMessageLen+300 {
			t.Errorf("role %s: the error holds a control character or is %d bytes long", role, len(msg))
		}
	}
	if _, err := h.Credentials(ctx, "huge"); err == nil || !strings.Contains(err.Error(), "vs. 1048576") {
		t.Errorf("the gRPC limit did not refuse the answer: %v", err)
	}
	if got := pluginPID(h, "test"); got != pid {
		t.Errorf("the plugin process was replaced (%d, then %d): a refused answer is not a crash", pid, got)
	}
	if err := h.Refresh(ctx, "fine"); err != nil {
		t.Fatalf("a role of the same plugin failed after the hostile answers: %v", err)
	}
	for _, s := range h.Status() {
		if strings.ContainsAny(s.AccessKeyID+s.ARN, "\x1b\x07") {
			t.Errorf("role %s: status holds a control character: %q %q", s.Role, s.AccessKeyID, s.ARN)
		}
	}
}

// TestLongStderrLineDropped: a plugin that writes a 120 KB line made of its secret key
// to its raw stderr gets a note of the line's length in the host's log, not the line:
// logged in 64 KiB pieces, as before, a piece could end inside a copy of the secret and
// show its first part unredacted.
func TestLongStderrLineDropped(t *testing.T) {
	logs := &logBuffer{}
	h := load(t, `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  config {
    long_stderr_line = true
  }
}`, host.WithLogger(newLogger(logs)))
	c, err := h.Credentials(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "after the long line", 1)
	all := logs.String()
	if !strings.Contains(all, "[a line of ") || !strings.Contains(all, "bytes was dropped: longer than 64 KiB]") {
		t.Errorf("the log has no note of the dropped line")
	}
	if strings.Contains(all, "[REDACTED][REDACTED]") || strings.Contains(all, c.SecretAccessKey[:12]) {
		t.Errorf("pieces of the long line reached the log")
	}
}

// TestLongLogLineDropped: a plugin logs JSON lines longer than go-plugin reads its log
// stream in, with its new secret key across the split. go-plugin logs the pieces one
// by one, which redaction could not match; the host drops them, never writes a piece,
// and notes each dropped line.
func TestLongLogLineDropped(t *testing.T) {
	logs := &logBuffer{}
	h := load(t, `plugin "test" {
  command = "{{test}}"
  args    = ["-log-long-lines"]
}
role "a" {
  source = "test"
  config {
    log_secrets = true
  }
}`, host.WithLogger(newLogger(logs)))
	c, err := h.Credentials(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "plugin log line dropped", 4)
	all := logs.String()
	key := c.SecretAccessKey
	for _, part := range []string{key[:8], key[len(key)/2 : len(key)/2+8], key[len(key)-8:]} {
		if strings.Contains(all, part) {
			t.Errorf("a piece of the secret key (%d bytes of it) reached the log", len(part))
		}
	}
	if !strings.Contains(all, "bytes=65") {
		t.Errorf("the note does not say how long the line was:\n%.2000s", all)
	}
}
