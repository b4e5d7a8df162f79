package filecreds

import (
	"errors"
	"io/fs"
	"testing"
)

// TestFileError classifies read failures, including permission denied, which a test
// running as root cannot cause with a real file.
func TestFileError(t *testing.T) {
	for _, tc := range []struct {
		err       error
		code      string
		retryable bool
		message   string
	}{
		{&fs.PathError{Op: "stat", Path: "/x.json", Err: fs.ErrNotExist}, "FileNotFound", true,
			"/x.json does not exist: the program that writes it has not run yet, or path is wrong"},
		{&fs.PathError{Op: "open", Path: "/x.json", Err: fs.ErrPermission}, "FileUnreadable", false,
			"cannot read /x.json: permission denied; make it readable by the user that runs brs"},
		{&fs.PathError{Op: "read", Path: "/x.json", Err: errors.New("input/output error")}, "FileUnreadable", true,
			"cannot read /x.json: input/output error"},
	} {
		got := fileError("/x.json", tc.err)
		if got.Code != tc.code || got.Retryable != tc.retryable || got.Message != tc.message {
			t.Errorf("fileError(%v) = %q %v %q, want %q %v %q", tc.err, got.Code, got.Retryable, got.Message, tc.code, tc.retryable, tc.message)
		}
	}
}
