package webidentity

import (
	"strings"
	"testing"
)

// TestTokenFileRefusesProcfs: token_file = "/proc/self/environ" once sent brs's
// environment, base secret included, to STS as the token. The reader refuses it
// (boundedfile), and its error holds nothing of the environment.
func TestTokenFileRefusesProcfs(t *testing.T) {
	t.Setenv("BRS_TEST_ENVIRON_SECRET", "environ-secret-that-must-not-show")
	token, err := readTokenFile("/proc/self/environ")
	if err == nil || token != "" {
		t.Fatalf("read %d bytes, error %v", len(token), err)
	}
	if msg := err.Error(); !strings.Contains(msg, "procfs, a kernel file system that brs does not read") || strings.Contains(msg, "environ-secret") {
		t.Errorf("error: %v", err)
	}
}
