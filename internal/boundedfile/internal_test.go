//go:build unix

package boundedfile

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
)

// TestDescriptorChecked: the check that counts is made on the opened descriptor, so a
// path swapped for a named pipe or a device after the first check is still refused,
// and opening the pipe does not block (no writer ever comes).
func TestDescriptorChecked(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, "/dev/zero"} {
		if _, err := openChecked(path); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: %v, want ErrNotRegular", path, err)
		}
	}
}
