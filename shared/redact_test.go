package shared_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/brs-go/brs/shared"
)

// TestRedact: secrets at least minLen long are replaced, the longest first; short
// and empty ones are left alone.
func TestRedact(t *testing.T) {
	got := shared.Redact("token abcdef123456 and abcdef and short", []string{"", "short", "abcdef", "abcdef123456"}, 6)
	if want := "token [redacted] and [redacted] and short"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := shared.Redact("x", []string{""}, 0); got != "x" {
		t.Errorf("an empty secret redacted: %q", got)
	}
}

// TestNoAWSDependency: a non-AWS plugin that uses package shared (Redact, the
// contract types) does not link the AWS SDK.
func TestNoAWSDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/brs-go/brs/shared").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/aws/") {
			t.Errorf("package shared depends on %s", dep)
		}
	}
}
