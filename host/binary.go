package host

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// binary is a plugin executable opened once: the file whose permissions were checked
// and whose sha256 was compared is the file that runs, whatever happens to its path
// afterwards.
type binary struct {
	path string // as configured or discovered, for messages and argv[0]
	f    *os.File
	once sync.Once
}

// binaryOpened, if set, is called with the path of a plugin binary that was opened,
// checked and hashed, just before it is run. Tests use it to change the path then.
var binaryOpened func(path string)

// unsafeBinaryError is a plugin binary, or its directory, that someone other than the
// user and root could replace.
type unsafeBinaryError struct{ msg string }

func (e *unsafeBinaryError) Error() string { return e.msg }

// openBinary opens the plugin binary at path for p, refuses it if other users could
// have changed it, and checks it against p's pinned sha256, if any.
func (p *pluginProc) openBinary() (*binary, error) {
	if err := p.checkDirs(); err != nil {
		return nil, err
	}
	f, err := os.Open(p.path) // O_CLOEXEC: no other child inherits it
	if err != nil {
		return nil, err
	}
	b := &binary{path: p.path, f: f}
	fi, err := f.Stat()
	if err != nil {
		b.close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		b.close()
		return nil, &unsafeBinaryError{fmt.Sprintf("%s: %s is not a regular file; give the path of the plugin executable", p.describe(), p.path)}
	}
	if err := p.checkOwner(p.path, fi); err != nil {
		b.close()
		return nil, err
	}
	if p.checksum == nil {
		return b, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, fi.Size())); err != nil {
		b.close()
		return nil, fmt.Errorf("%s: reading the binary to check its sha256: %v", p.describe(), err)
	}
	if sum := h.Sum(nil); !bytes.Equal(sum, p.checksum) {
		b.close()
		return nil, &checksumError{fmt.Sprintf("%s: refusing to start: the binary's sha256 is %s but the plugin block requires %s; "+
			"install the binary you expect, or update sha256 if this one is trusted", p.describe(), hex.EncodeToString(sum), hex.EncodeToString(p.checksum))}
	}
	return b, nil
}

// checkDirs refuses a plugin whose directory (the one its path names, and the one its
// symbolic links lead to) other users can write to: they could put another program
// in its place before it is opened.
func (p *pluginProc) checkDirs() error {
	dirs := []string{filepath.Dir(p.path)}
	if real, err := filepath.EvalSymlinks(p.path); err == nil && filepath.Dir(real) != dirs[0] {
		dirs = append(dirs, filepath.Dir(real))
	}
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if err := p.checkOwner(d, fi); err != nil {
			return err
		}
	}
	return nil
}

// checkOwner refuses path (the binary or a directory of it) if it is writable by its
// group or by everyone, or owned by another user than the current one and root.
func (p *pluginProc) checkOwner(path string, fi os.FileInfo) error {
	what := "the plugin binary"
	if fi.IsDir() {
		what = "the directory of the plugin binary"
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return &unsafeBinaryError{fmt.Sprintf("%s: refusing to start: %s, %s, is writable by other users (mode %v): "+
			"whoever can write it can make brs run their program with your AWS credentials; "+
			"run chmod go-w %s, or install the plugin where only you or root can write",
			p.describe(), what, path, fi.Mode().Perm(), path)}
	}
	if uid, ok := fileOwner(fi); ok && uid != 0 && uid != os.Geteuid() {
		return &unsafeBinaryError{fmt.Sprintf("%s: refusing to start: %s, %s, belongs to user %d, not to you (%d) or root: "+
			"its owner can make brs run their program with your AWS credentials; "+
			"install the plugin where only you or root can write",
			p.describe(), what, path, uid, os.Geteuid())}
	}
	return nil
}

// close closes the file; it may be called more than once.
func (b *binary) close() {
	b.once.Do(func() { _ = b.f.Close() })
}
