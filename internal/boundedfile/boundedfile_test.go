//go:build unix

package boundedfile_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/brs-go/brs/internal/boundedfile"
)

// TestRefusesWhatIsNotARegularFile: a symlink to /dev/zero, a named pipe no one
// writes to, a directory and a socket are refused at once, by kind, without reading
// (the pipe would block an ordinary open forever, /dev/zero would fill memory).
func TestRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, kind := range map[string]string{zero: "a character device", fifo: "a named pipe", dir: "a directory"} {
		b, err := boundedfile.ReadFile(path, 1<<20)
		var fe *boundedfile.Error
		if !errors.As(err, &fe) || !errors.Is(err, boundedfile.ErrNotRegular) || b != nil {
			t.Fatalf("%s: %v, %d bytes; want ErrNotRegular", path, err, len(b))
		}
		if want := path + ": it is " + kind + ", not a regular file"; err.Error() != want {
			t.Errorf("%q, want %q", err, want)
		}
	}
}

// TestSizeLimit: a file of exactly the limit is read; one byte more is refused with
// an error that names the file and the limit and holds nothing of the content.
func TestSizeLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	content := bytes.Repeat([]byte("s3cr3t"), 1<<10) // 6 KiB
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := boundedfile.ReadFile(path, int64(len(content)))
	if err != nil || !bytes.Equal(b, content) {
		t.Fatalf("at the limit: %d bytes, %v", len(b), err)
	}
	b, err = boundedfile.ReadFile(path, 4<<10)
	if !errors.Is(err, boundedfile.ErrTooLarge) || b != nil {
		t.Fatalf("over the limit: %d bytes, %v", len(b), err)
	}
	if want := path + ": it is larger than 4 KiB"; err.Error() != want || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("%q, want %q", err, want)
	}
}

// TestOSErrors: a missing or unreadable file keeps the operating system's cause for
// errors.Is, and says it once, after the path.
func TestOSErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	_, err := boundedfile.ReadFile(missing, 10)
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != missing+": no such file or directory" {
		t.Errorf("missing: %v", err)
	}
	if os.Geteuid() != 0 {
		locked := filepath.Join(dir, "locked")
		if err := os.WriteFile(locked, []byte("x"), 0o000); err != nil {
			t.Fatal(err)
		}
		if _, err := boundedfile.ReadFile(locked, 10); !errors.Is(err, fs.ErrPermission) {
			t.Errorf("unreadable: %v", err)
		}
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{100: "100 bytes", 64 << 10: "64 KiB", 1 << 20: "1 MiB", 1<<20 + 1: "1048577 bytes"} {
		if got := boundedfile.Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// FuzzReadFile: whatever a file holds and whatever the limit, ReadFile returns the
// content exactly when it fits, and ErrTooLarge and nothing otherwise.
func FuzzReadFile(f *testing.F) {
	f.Add([]byte(""), uint16(0))
	f.Add([]byte("token"), uint16(5))
	f.Add([]byte("token\n"), uint16(5))
	f.Add(bytes.Repeat([]byte{0}, 5000), uint16(4096))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, limit uint16) {
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := boundedfile.ReadFile(path, int64(limit))
		if len(data) <= int(limit) {
			if err != nil || !bytes.Equal(b, data) {
				t.Fatalf("%d bytes at limit %d: got %d bytes, %v", len(data), limit, len(b), err)
			}
			return
		}
		if !errors.Is(err, boundedfile.ErrTooLarge) || b != nil {
			t.Fatalf("%d bytes at limit %d: got %d bytes, %v", len(data), limit, len(b), err)
		}
	})
}
