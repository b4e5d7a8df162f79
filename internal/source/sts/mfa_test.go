package sts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/shared"
)

func TestExtractMFACode(t *testing.T) {
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
		got, ok := extractMFACode([]byte(c.out))
		if got != c.want || ok != (c.want != "") {
			t.Errorf("extractMFACode(%q) = %q, %v; want %q", c.out, got, ok, c.want)
		}
	}
}

func TestMFATokenCode(t *testing.T) {
	ctx := context.Background()
	code, err := mfaTokenCode(ctx, "echo 'enter the code:'; printf '%s\\n' 424242", nil, nil)
	if err != nil || code != "424242" {
		t.Errorf("got %q, %v; want 424242", code, err)
	}
	// Standard error is not read for the code: it belongs to the log.
	code, err = mfaTokenCode(ctx, "echo 111111 >&2; echo 222222", nil, nil)
	if err != nil || code != "222222" {
		t.Errorf("got %q, %v; want 222222 from stdout", code, err)
	}
	_, err = mfaTokenCode(ctx, "echo 333333 >&2", nil, nil)
	checkMFAError(t, err, "MFATokenCommandFailed", false, "printed no 6-digit code", "333333")
}

func TestMFATokenCodeFailures(t *testing.T) {
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
			_, err := mfaTokenCode(context.Background(), c.command, nil, nil)
			checkMFAError(t, err, c.code, false, c.want, "555555")
		})
	}
}

// TestMFATokenCodeCancelled checks that a caller giving up stops the command, and that
// this is reported as retryable: the next refresh may well get a code.
func TestMFATokenCodeCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := mfaTokenCode(ctx, "exec sleep 60", nil, nil)
	checkMFAError(t, err, "Canceled", true, "cancelled", "")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the command ran for %v after the context ended", d)
	}
}

// TestMFATokenCodeTimeout checks that a command that outlives its time limit is
// stopped and reported as permanent: nobody answered it.
func TestMFATokenCodeTimeout(t *testing.T) {
	defer func(d time.Duration) { mfaCommandTimeout = d }(mfaCommandTimeout)
	mfaCommandTimeout = 200 * time.Millisecond
	start := time.Now()
	_, err := mfaTokenCode(context.Background(), "echo 123456; exec sleep 60", nil, nil)
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
