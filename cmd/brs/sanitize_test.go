package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/shared"
)

// TestStatusTableEscapesControlCharacters: whatever reaches the status table (here
// straight from a RoleStatus, as if the host had let it through), an ESC sequence in
// the ARN, key id or error is printed as text, not sent to the terminal.
func TestStatusTableEscapesControlCharacters(t *testing.T) {
	now := goldenNow
	st := []host.RoleStatus{{Role: "evil", Source: "test", AccessKeyID: "ASIA\x1b[2J", ARN: "arn:aws:iam::1:role/\x1b]0;pwned\x07",
		Expires: now.Add(time.Hour), LastRefresh: now, NextRefresh: now.Add(50 * time.Minute),
		LastError: shared.Permanent("Bad\x1b[5m", "\x1b[31mred\x1b[0m\nforged line \u202eevil")}}
	var b bytes.Buffer
	if err := writeStatusTable(&b, st, nil, now); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	want := `evil  test    arn:aws:iam::1:role/\x1b]0;pwned\x07  ASIA\x1b[2J  in 1h00m  now           in 50m00s     Bad\x1b[5m: \x1b[31mred\x1b[0m\nforged line \u202eevil`
	if len(lines) < 2 || lines[1] != want {
		t.Errorf("row\n%q\nwant\n%q", lines[1], want)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07\u202e") {
		t.Errorf("the table holds a control character:\n%q", b.String())
	}
}

// TestErrorLineEscapesControlCharacters: an error line keeps its own newlines (a load
// error lists one diagnostic a line) and escapes every other control character.
func TestErrorLineEscapesControlCharacters(t *testing.T) {
	var stderr bytes.Buffer
	c := &cli{stderr: &stderr}
	c.errorf("role %q: %v", "r", shared.Permanent("X", "\x1b]0;pwned\x07 \x1b[31mred\nsecond line"))
	if got, want := stderr.String(), "brs: role \"r\": X: \\x1b]0;pwned\\x07 \\x1b[31mred\nsecond line\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestHostileTextThroughCLI runs `brs status` and `brs credential-process` on roles of
// the real test plugin whose error text and ARN carry ESC sequences: nothing reaches
// stdout or stderr raw; the error shows the sequence as text, the ARN is refused.
func TestHostileTextThroughCLI(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", `plugin "test" {
  command = "{{test}}"
}
role "loud" {
  source = "test"
  config {
    fail         = "AccessDenied"
    fail_message = "\u001b]0;pwned\u0007\u001b[31mred\u001b[0m"
  }
}
role "arn" {
  source = "test"
  config {
    arn = "arn:aws:iam::123456789012:role/\u001b[2J"
  }
}
`)
	r := runBRS(t, "-c", path, "status")
	if strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
		t.Errorf("a control character reached the terminal:\nstdout %q\nstderr %q", r.stdout, r.stderr)
	}
	for _, want := range []string{`AccessDenied: \x1b]0;pwned\x07\x1b[31mred\x1b[0m`, "InvalidResponse: plugin returned credentials that cannot be used: the ARN holds a character other than printable ASCII"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("status does not show %q:\n%s", want, r.stdout)
		}
	}
	r = runBRS(t, "-c", path, "credential-process", "loud")
	if r.code != exitError || strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") || !strings.Contains(r.stderr, `AccessDenied: \x1b]0;pwned\x07\x1b[31mred\x1b[0m`) {
		t.Errorf("credential-process: exit %d, stderr %q", r.code, r.stderr)
	}
}
