//go:build unix

package config

import (
	"path/filepath"
	"syscall"
	"testing"
)

// TestFileFunctionFIFO checks that file() refuses a named pipe rather than block
// until something writes to it.
func TestFileFunctionFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, diags := ParseSource([]byte(`role "a" {
  source = "sts"
  region = file("fifo")
}`), filepath.Join(dir, "brs.hcl"))
	d := firstError(diags)
	want := "Cannot read " + filepath.Join(dir, "fifo") + ": it is a named pipe, not a regular file."
	if d.Summary != "Cannot read file" || d.Detail != want {
		t.Errorf("%q: %q, want %q", d.Summary, d.Detail, want)
	}
}
