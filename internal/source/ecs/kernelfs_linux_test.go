package ecs

import (
	"strings"
	"testing"
)

// TestTokenFileRefusesProcfs: a token_file on procfs is refused by the reader
// (boundedfile), so /proc/self/environ never becomes the Authorization header.
func TestTokenFileRefusesProcfs(t *testing.T) {
	t.Setenv("BRS_TEST_ENVIRON_SECRET", "environ-secret-that-must-not-show")
	var s settings
	s.TokenFile = "/proc/self/environ"
	token, err := s.authorization()
	if err == nil || token != "" {
		t.Fatalf("read %d bytes, error %v", len(token), err)
	}
	if msg := err.Error(); !strings.Contains(msg, "procfs, a kernel file system that brs does not read") || strings.Contains(msg, "environ-secret") {
		t.Errorf("error: %v", err)
	}
}
