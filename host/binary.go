package host

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/brs-go/brs/internal/filetrust"
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
// have changed it (filetrust: it, its directories up to /, and the links on the way),
// and checks it against p's pinned sha256, if any. The file checked is the file opened.
func (p *pluginProc) openBinary() (*binary, error) {
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
	if err := filetrust.Check(f, "plugin binary"); err != nil {
		b.close()
		var te *filetrust.Error
		if errors.As(err, &te) {
			return nil, &unsafeBinaryError{p.describe() + ": " + err.Error()}
		}
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

// close closes the file; it may be called more than once.
func (b *binary) close() {
	b.once.Do(func() { _ = b.f.Close() })
}
