package mfacode

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/brs-go/brs/shared"
)

func TestExtract(t *testing.T) {
	for out, want := range map[string]string{
		"123456\n": "123456", "code: 654321": "654321", "old 111111\nnew 222222\n": "222222",
		"1234567": "", "12345": "", "abc123456": "", "": "",
	} {
		if got, ok := Extract([]byte(out)); got != want || ok != (want != "") {
			t.Errorf("Extract(%q) = %q, %v; want %q", out, got, ok, want)
		}
	}
}

// TestRun: the code from stdout, never from stderr; failures are permanent errors that
// quote neither the output nor the code.
func TestRun(t *testing.T) {
	ctx := context.Background()
	if c, err := Run(ctx, "echo 111111 >&2; echo 'code:'; echo 424242"); err != nil || c != "424242" {
		t.Errorf("got %q, %v", c, err)
	}
	for cmd, want := range map[string]string{
		"echo 333333 >&2":     "printed no 6-digit code",
		"echo 555555; exit 3": "exited with status 3",
	} {
		_, err := Run(ctx, cmd)
		var e *shared.Error
		if !errors.As(err, &e) || e.Retryable || !strings.Contains(e.Message, want) || strings.Contains(e.Error(), "333333") || strings.Contains(e.Error(), "555555") {
			t.Errorf("%s: %v", cmd, err)
		}
	}
}
