package mfacode

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/shared"
)

func TestExtract(t *testing.T) {
	cases := []struct {
		out  string
		want string // "" for no code
	}{
		{"123456", "123456"},
		{"123456\n", "123456"},
		{"your code: 654321", "654321"},
		{"Token for account 111122 is 987654\n", "987654"},
		{"old 111111\nnew 222222\n", "222222"},
		{"123456 expires in 30s", "123456"}, // "30" is not six digits
		{"1234567", ""},
		{"12345", ""},
		{"serial 1234567890, code 246810", "246810"},
		{"code:135790.", "135790"},
		{"abc123456", ""}, // not a number on its own
		{"123456 then 7654321", "123456"},
		{"", ""},
		{"no code here\n", ""},
		{"١٢٣٤٥٦", ""}, // \d is ASCII only
	}
	for _, c := range cases {
		got, ok := Extract([]byte(c.out))
		if got != c.want || ok != (c.want != "") {
			t.Errorf("Extract(%q) = %q, %v; want %q", c.out, got, ok, c.want)
		}
	}
}

func TestRun(t *testing.T) {
	ctx := context.Background()
	code, err := Run(ctx, Command{Line: "echo 'enter the code:'; printf '%s\\n' 424242"})
	if err != nil || code != "424242" {
		t.Errorf("got %q, %v; want 424242", code, err)
	}
	// Standard error is not read for the code: it belongs to the log.
	code, err = Run(ctx, Command{Line: "echo 111111 >&2; echo 222222"})
	if err != nil || code != "222222" {
		t.Errorf("got %q, %v; want 222222 from stdout", code, err)
	}
	_, err = Run(ctx, Command{Line: "echo 333333 >&2"})
	checkMFAError(t, err, "MFATokenCommandFailed", false, "printed no 6-digit code", "333333")
}

func TestRunFailures(t *testing.T) {
	cases := []struct {
		name, command, code, want string
	}{
		{"garbage", "echo 'garbage 12345 abcdef 1234567'", "MFATokenCommandFailed", "mfa_token_command printed no 6-digit code"},
		{"nothing", "true", "MFATokenCommandFailed", "mfa_token_command printed no 6-digit code"},
		{"non-zero exit", "echo 555555; exit 3", "MFATokenCommandFailed", "mfa_token_command failed: exited with status 3"},
		{"not found", "/nonexistent/otp-cli show aws", "MFATokenCommandFailed", "mfa_token_command failed: exited with status 127"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), Command{Line: c.command})
			checkMFAError(t, err, c.code, false, c.want, "555555")
		})
	}
}

// TestMFATokenCodeCancelled checks that a caller giving up stops the command, and that
// this is reported as retryable: the next refresh may well get a code.
func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Run(ctx, Command{Line: "exec sleep 60"})
	checkMFAError(t, err, "Canceled", true, "cancelled", "")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the command ran for %v after the context ended", d)
	}
}

// TestMFATokenCodeTimeout checks that a command that outlives its time limit is
// stopped and reported as permanent: nobody answered it.
func TestRunTimeout(t *testing.T) {
	defer func(d time.Duration) { Timeout = d }(Timeout)
	Timeout = 200 * time.Millisecond
	start := time.Now()
	_, err := Run(context.Background(), Command{Line: "echo 123456; exec sleep 60"})
	checkMFAError(t, err, "MFATokenCommandTimeout", false, "did not finish within 200ms", "123456")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the command ran for %v after its time limit", d)
	}
}

func checkMFAError(t *testing.T, err error, code string, retryable bool, want, secret string) {
	t.Helper()
	var e *shared.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a *shared.Error", err)
	}
	if e.Code != code || e.Retryable != retryable {
		t.Errorf("got %+v, want code %q retryable %v", e, code, retryable)
	}
	if !strings.Contains(e.Message, want) {
		t.Errorf("message %q does not contain %q", e.Message, want)
	}
	if secret != "" && strings.Contains(e.Error(), secret) {
		t.Errorf("error %q contains the command's output %q", e.Error(), secret)
	}
}

// TestRunEnvironment: the command gets the role's env and the variables it names in
// inherit_env, and not the other variables of this process (the base credentials).
func TestRunEnvironment(t *testing.T) {
	t.Setenv("BRS_TEST_LISTED", "listed-value")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "base-secret-not-for-the-command")
	c := Command{
		Line:    `[ "$OTP_SEED" = seed-from-env ] && [ "$BRS_TEST_LISTED" = listed-value ] && [ -z "$AWS_SECRET_ACCESS_KEY" ] && echo 123456`,
		Env:     map[string]string{"OTP_SEED": "seed-from-env"},
		Inherit: []string{"BRS_TEST_LISTED"},
	}
	if code, err := Run(context.Background(), c); err != nil || code != "123456" {
		t.Errorf("got %q, %v; want 123456", code, err)
	}
	c.Env = nil
	_, err := Run(context.Background(), c)
	checkMFAError(t, err, "MFATokenCommandFailed", false, "exited with status 1", "seed-from-env")
}
