package filetrust_test

import (
	"errors"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/filetrust"
)

// other is a user ID that is neither the tests' user nor root: nobody.
const other = 65534

// needRoot skips a test that must give a file to another user; CI runs as root.
func needRoot(t *testing.T) {
	t.Helper()
	needtool.Root(t, "giving a file to another user needs root")
}

// trustedDir returns a new directory only the tests' user can write, whose parents
// are trusted too (t.TempDir, under the sticky /tmp).
func trustedDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := filetrust.CheckPath(dir, "test directory"); err != nil {
		t.Fatalf("the test's own directory is not trusted: %v", err)
	}
	return dir
}

func write(t *testing.T, path string, mode os.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, []byte("role \"a\" {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// check opens path and checks it as a config file.
func check(t *testing.T, path string) error {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return filetrust.Check(f, "config file")
}

// refused asserts that err is an *Error about path, and that its message names the
// file, the owner, the mode and the fix.
func refused(t *testing.T, err error, file, path string, writable bool, fix string) {
	t.Helper()
	var e *filetrust.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: %v, want a *filetrust.Error", file, err)
	}
	if e.Path != path || e.Writable != writable {
		t.Errorf("refused %s (writable %v), want %s (writable %v): %v", e.Path, e.Writable, path, writable, err)
	}
	msg := err.Error()
	for _, w := range []string{"refusing config file " + file + ": ", "(owner ", "mode " + e.Mode.String(), fix} {
		if !strings.Contains(msg, w) {
			t.Errorf("message does not say %q: %s", w, msg)
		}
	}
	if strings.Count(msg, "\n") != 0 {
		t.Errorf("message is not one line: %q", msg)
	}
}

// TestTrusted: a file of the user's, 0600 or 0644, in a directory of the user's, under
// the sticky /tmp, is accepted.
func TestTrusted(t *testing.T) {
	dir := trustedDir(t)
	for _, mode := range []os.FileMode{0o600, 0o644, 0o400} {
		if err := check(t, write(t, filepath.Join(dir, "brs.hcl"), mode)); err != nil {
			t.Errorf("mode %v: %v", mode, err)
		}
	}
}

// TestGroupOrOtherWritable: a file its group or others may write is refused.
func TestGroupOrOtherWritable(t *testing.T) {
	dir := trustedDir(t)
	for _, mode := range []os.FileMode{0o620, 0o602, 0o666} {
		p := write(t, filepath.Join(dir, "brs.hcl"), mode)
		refused(t, check(t, p), p, p, true, "chmod go-w "+p)
	}
}

// TestWritableParent: a file in a directory others may write, or under one two levels
// up, is refused: they could rename another file into its place.
func TestWritableParent(t *testing.T) {
	top := trustedDir(t)
	sub := filepath.Join(top, "a", "b")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	p := write(t, filepath.Join(sub, "brs.hcl"), 0o600)
	if err := check(t, p); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{sub, filepath.Join(top, "a")} {
		if err := os.Chmod(d, 0o777); err != nil {
			t.Fatal(err)
		}
		refused(t, check(t, p), p, d, true, "chmod go-w "+d)
		if err := os.Chmod(d, 0o775); err != nil {
			t.Fatal(err)
		}
		refused(t, check(t, p), p, d, true, "chmod go-w "+d)
		if err := os.Chmod(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStickyDir: a sticky directory that everyone may write, like /tmp, is accepted,
// but a file in it that another user owns is refused, and so is the directory when
// another user owns it (its owner may delete anything in it).
func TestStickyDir(t *testing.T) {
	needRoot(t)
	sticky := filepath.Join(trustedDir(t), "tmp")
	if err := os.Mkdir(sticky, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sticky, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	p := write(t, filepath.Join(sticky, "brs.hcl"), 0o644)
	if err := check(t, p); err != nil {
		t.Fatalf("own file in a sticky directory: %v", err)
	}
	if err := os.Chown(p, other, other); err != nil {
		t.Fatal(err)
	}
	refused(t, check(t, p), p, p, false, "chown root "+p)
	if err := os.Chown(p, 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(sticky, other, other); err != nil {
		t.Fatal(err)
	}
	refused(t, check(t, p), p, sticky, false, "move the file to a directory that you or root own")
}

// TestSymlinkToOtherUsersFile: a symbolic link of the user's, in a trusted directory,
// to another user's file is refused for the file it leads to; a link to a file in a
// writable directory for that directory; a link another user owns, in a sticky
// directory, for the link.
func TestSymlinkToOtherUsersFile(t *testing.T) {
	needRoot(t)
	dir := trustedDir(t)
	target := write(t, filepath.Join(dir, "theirs.hcl"), 0o644)
	if err := os.Chown(target, other, other); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "brs.hcl")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	refused(t, check(t, link), link, target, false, "chown root "+target)

	open := filepath.Join(dir, "open")
	if err := os.Mkdir(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	mine := write(t, filepath.Join(open, "mine.hcl"), 0o600)
	link2 := filepath.Join(dir, "via-open.hcl")
	if err := os.Symlink(mine, link2); err != nil {
		t.Fatal(err)
	}
	refused(t, check(t, link2), link2, open, true, "chmod go-w "+open)

	sticky := filepath.Join(dir, "sticky")
	if err := os.Mkdir(sticky, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sticky, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	own := write(t, filepath.Join(dir, "own.hcl"), 0o600)
	theirLink := filepath.Join(sticky, "brs.hcl")
	if err := os.Symlink(own, theirLink); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(theirLink, other, other); err != nil {
		t.Fatal(err)
	}
	refused(t, check(t, theirLink), theirLink, theirLink, false, "chown root "+theirLink)
}

// TestOtherUsersFile: a file another user owns is refused even at mode 0644 in the
// user's own directory; root's file is accepted.
func TestOtherUsersFile(t *testing.T) {
	needRoot(t)
	p := write(t, filepath.Join(trustedDir(t), "brs.hcl"), 0o644)
	if err := os.Chown(p, other, other); err != nil {
		t.Fatal(err)
	}
	refused(t, check(t, p), p, p, false, "chown root "+p)
	if err := filetrust.CheckPath(p, "config file"); err == nil {
		t.Error("CheckPath accepted it")
	}
}
