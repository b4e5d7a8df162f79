package proctest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// nobody is the user and group ID that processes run as when the tests run as root.
const nobody = 65534

// SharedDir returns a new directory that the user of Unprivileged can read and
// search, removed when the test ends. writable makes it theirs, too.
func SharedDir(t testing.TB, writable bool) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "brs-proctest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if writable && os.Geteuid() == 0 {
		if err := os.Chown(dir, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// CopyExecutable copies the executable src into dir (see SharedDir) as name, mode
// 0755, and returns its path.
func CopyExecutable(t testing.TB, src, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, name)
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return dst
}

// EnvironReadable reports whether an unprivileged process of the user of
// Unprivileged can read /proc/PID/environ, and what it printed on stderr.
func EnvironReadable(t testing.TB, pid int) (bool, string) {
	t.Helper()
	cmd := exec.Command("cat", "/proc/"+strconv.Itoa(pid)+"/environ")
	Unprivileged(cmd)
	var stderr []byte
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	} else if err != nil {
		t.Fatal(err)
	}
	return err == nil && len(out) > 0, string(stderr)
}
