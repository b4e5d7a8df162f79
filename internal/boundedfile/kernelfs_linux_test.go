package boundedfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/boundedfile"
)

// TestRefusesKernelFileSystems: files of procfs and sysfs look regular, yet
// /proc/self/environ holds brs's environment, base credentials included: ReadFile
// and Open refuse them, also through a symbolic link, with ErrNotRegular and an error
// that holds nothing of the content.
func TestRefusesKernelFileSystems(t *testing.T) {
	t.Setenv("BRS_TEST_ENVIRON_SECRET", "environ-secret-that-must-not-show")
	link := filepath.Join(t.TempDir(), "token")
	if err := os.Symlink("/proc/self/environ", link); err != nil {
		t.Fatal(err)
	}
	for path, fs := range map[string]string{"/proc/self/environ": "procfs", link: "procfs", "/sys/kernel/uevent_seqnum": "sysfs"} {
		b, err := boundedfile.ReadFile(path, 1<<20)
		if !errors.Is(err, boundedfile.ErrNotRegular) || b != nil {
			t.Fatalf("%s: %d bytes, %v; want ErrNotRegular", path, len(b), err)
		}
		if want := path + ": it is on " + fs + ", a kernel file system that brs does not read"; err.Error() != want {
			t.Errorf("%q, want %q", err, want)
		}
		if strings.Contains(err.Error(), "environ-secret") {
			t.Errorf("the error shows the environment: %v", err)
		}
		if f, err := boundedfile.Open(path); err == nil || f != nil {
			t.Errorf("Open(%s) succeeded", path)
		}
	}
}

// TestProcfsSizeZero: Read reads files whose size the kernel reports as 0 to their
// end (bounded all the same), for a caller that opened one itself.
func TestProcfsSizeZero(t *testing.T) {
	for limit, wantErr := range map[int64]error{64 << 10: nil, 4: boundedfile.ErrTooLarge} {
		f, err := os.Open("/proc/self/stat")
		if err != nil {
			t.Fatal(err)
		}
		b, err := boundedfile.Read(f, limit)
		f.Close()
		if !errors.Is(err, wantErr) || (wantErr == nil && len(b) == 0) {
			t.Errorf("limit %d: %d bytes, %v; want %v", limit, len(b), err, wantErr)
		}
	}
}
