package iot

import (
	"strings"
	"testing"
)

// TestPEMFilesRefuseProcfs: cert, key and CA files on procfs are refused by the reader
// (boundedfile), and the error holds nothing of what the file would have held.
func TestPEMFilesRefuseProcfs(t *testing.T) {
	t.Setenv("BRS_TEST_ENVIRON_SECRET", "environ-secret-that-must-not-show")
	for _, attr := range []string{"cert", "key", "ca"} {
		b, err := readPEMFile(attr, "/proc/self/environ")
		if err == nil || b != nil {
			t.Fatalf("%s: read %d bytes, error %v", attr, len(b), err)
		}
		if msg := err.Error(); !strings.Contains(msg, "procfs, a kernel file system that brs does not read") || strings.Contains(msg, "environ-secret") {
			t.Errorf("%s: error: %v", attr, err)
		}
	}
}
