package filetrust

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Error is a file that brs refuses to load or run because someone other than the user
// and root could change it.
type Error struct {
	// Kind says what the file is for, e.g. "config file" or "plugin binary".
	Kind string
	// File is the file that was to be loaded, as the caller named it.
	File string
	// Path is what is refused: File itself, a directory on the way to it, or a
	// symbolic link.
	Path string
	// IsDir tells whether Path is a directory.
	IsDir bool
	// Owner is Path's owner's user ID; Mode its mode.
	Owner int
	Mode  fs.FileMode
	// Writable tells that Path is refused for being writable by group or others;
	// otherwise it is refused for its owner.
	Writable bool
	// User is the user ID brs runs as.
	User int
}

// Error says what is refused, who owns it with which mode, why it matters and how to
// fix it, in one sentence.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "refusing %s %s: ", e.Kind, e.File)
	what := "it"
	switch {
	case e.IsDir:
		what = "its directory " + e.Path
	case e.Mode&fs.ModeSymlink != 0:
		what = "the symbolic link " + e.Path
	case e.Path != e.File:
		what = "the file it links to, " + e.Path + ","
	}
	fmt.Fprintf(&b, "%s (owner %s, mode %v) ", what, userName(e.Owner), e.Mode)
	if e.Writable {
		b.WriteString("is writable by other users")
	} else {
		fmt.Fprintf(&b, "belongs to another user, not to you (%s) or root", loginName(e.User))
	}
	b.WriteString(", who could make brs run their commands with your AWS credentials; ")
	switch {
	case e.Writable && e.IsDir:
		fmt.Fprintf(&b, "run chmod go-w %s (or chmod +t to make it sticky), or move the file to a directory only you can write", e.Path)
	case e.Writable:
		fmt.Fprintf(&b, "run chmod go-w %s", e.Path)
	case e.IsDir:
		fmt.Fprintf(&b, "move the file to a directory that you or root own, or if %s is yours, run chown %s %s", e.Path, loginName(e.User), e.Path)
	default:
		fmt.Fprintf(&b, "if its content is yours, copy it to a file you own; otherwise run chown %s %s", loginName(e.User), e.Path)
	}
	return b.String()
}

// Check refuses the file f, opened from the path f.Name(), unless it and every
// directory on the way to it are trusted (see the package documentation). kind says
// what the file is for, for the error, which is an *Error when the file is refused.
func Check(f *os.File, kind string) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%s %s: %w", kind, f.Name(), err)
	}
	return check(f.Name(), fi, kind)
}

// CheckPath is Check for a file that brs does not open itself (an executable that is
// run by its path): it follows symbolic links and checks what path names now.
func CheckPath(path, kind string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s %s: %w", kind, path, err)
	}
	return check(path, fi, kind)
}

// check checks the file at path, whose information fi was taken from the opened file,
// and its directories.
func check(path string, fi fs.FileInfo, kind string) error {
	c := checker{kind: kind, file: path, user: os.Geteuid(), seen: map[string]bool{}}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("%s %s: %w", kind, path, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return fmt.Errorf("%s %s: %w", kind, path, err)
	}
	// The file as opened, named by where its links lead, when they lead elsewhere.
	named := path
	if real != abs {
		named = real
	}
	if err := c.entry(named, fi, false); err != nil {
		return err
	}
	if err := c.written(abs); err != nil {
		return err
	}
	return c.dirs(real)
}

type checker struct {
	kind, file string
	user       int
	seen       map[string]bool
}

// written checks the components of the absolute path abs as written: each symbolic
// link among them must be trusted, and the directories that hold them.
func (c *checker) written(abs string) error {
	if err := c.dirs(abs); err != nil {
		return err
	}
	for p := abs; ; {
		fi, err := os.Lstat(p)
		if err != nil {
			return fmt.Errorf("%s %s: %w", c.kind, c.file, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if err := c.entry(p, fi, false); err != nil {
				return err
			}
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
}

// dirs checks every directory that holds abs, up to the root.
func (c *checker) dirs(abs string) error {
	for d := filepath.Dir(abs); ; {
		if !c.seen[d] {
			c.seen[d] = true
			fi, err := os.Stat(d)
			if err != nil {
				return fmt.Errorf("%s %s: %w", c.kind, c.file, err)
			}
			if err := c.entry(d, fi, true); err != nil {
				return err
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil
		}
		d = parent
	}
}

// entry refuses path, described by fi, if another user than c.user and root owns
// it, or (unless it is a symbolic link, whose mode means nothing, or a sticky
// directory) if its group or others may write it.
func (c *checker) entry(path string, fi fs.FileInfo, dir bool) error {
	owner, ok := ownerOf(fi)
	if !ok {
		return nil // no owner to check: see the package documentation
	}
	e := &Error{Kind: c.kind, File: c.file, Path: path, IsDir: dir, Owner: owner, Mode: fi.Mode(), User: c.user}
	if owner != 0 && owner != c.user {
		return e
	}
	m := fi.Mode()
	if m&fs.ModeSymlink != 0 || (dir && m&fs.ModeSticky != 0) {
		return nil
	}
	if m.Perm()&0o022 != 0 {
		e.Writable = true
		return e
	}
	return nil
}
