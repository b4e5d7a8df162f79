package boundedfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is the cause of an *Error for a path that is not a regular file, or
// that lies on a kernel file system such as procfs or sysfs, whose files look regular.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is the cause of an *Error for a file larger than the limit.
var ErrTooLarge = errors.New("larger than the limit")

// Error is a file that could not be read or was refused. errors.Is sees its cause:
// ErrNotRegular, ErrTooLarge, or the operating system's error (fs.ErrNotExist,
// fs.ErrPermission …).
type Error struct {
	// Path is the file as the caller named it.
	Path string
	// Reason says what is wrong, without the path, e.g. "it is a character device,
	// not a regular file" or "it is larger than 64 KiB".
	Reason string
	// Err is the cause.
	Err error
}

// Error returns the path and the reason.
func (e *Error) Error() string { return e.Path + ": " + e.Reason }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ReadFile returns the contents of the regular file at path, which must hold at most
// limit bytes. Any failure is an *Error.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, limit)
}

// Open opens the regular file at path for reading, for a caller that checks more of
// it (its owner, say) before reading it with Read. What is not a regular file, and on
// Linux a file of procfs, sysfs or another kernel file system, is refused, checked on
// the opened descriptor. Any failure is an *Error.
func Open(path string) (*os.File, error) {
	// A first check by path refuses the common cases without opening anything (opening
	// some devices has side effects); the check on the descriptor is the one that
	// counts.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, osError(path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode())
	}
	return openChecked(path)
}

// openChecked opens path without blocking and checks that what it opened is a
// regular file.
func openChecked(path string) (*os.File, error) {
	f, err := open(path)
	if err != nil {
		return nil, osError(path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, osError(path, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(path, fi.Mode())
	}
	if reason := kernelFS(f); reason != "" {
		f.Close()
		return nil, &Error{Path: path, Reason: reason, Err: ErrNotRegular}
	}
	return f, nil
}

// Read reads f, opened by Open, to its end, which must come within limit bytes. Any
// failure is an *Error naming f.Name().
func Read(f *os.File, limit int64) ([]byte, error) {
	path := f.Name()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size() // may be wrong: procfs says 0
	}
	buf := make([]byte, 0, min(min(max(size, 0), limit)+1, 1<<20))
	b, err := readAll(io.LimitReader(f, limit+1), buf)
	if err != nil {
		return nil, osError(path, err)
	}
	if int64(len(b)) > limit {
		return nil, &Error{Path: path, Reason: "it is larger than " + Size(limit), Err: ErrTooLarge}
	}
	return b, nil
}

// readAll is io.ReadAll into buf.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// osError describes an error of the operating system, without repeating the path.
func osError(path string, err error) *Error {
	reason := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		reason = pe.Err.Error()
	}
	return &Error{Path: path, Reason: reason, Err: err}
}

func notRegular(path string, m fs.FileMode) *Error {
	return &Error{Path: path, Reason: "it is " + Kind(m) + ", not a regular file", Err: ErrNotRegular}
}

// Kind names the kind of file m describes, with its article: "a directory", "a named
// pipe", "a character device" …
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}

// Size formats a byte count for messages: "64 KiB", "1 MiB", "100 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
