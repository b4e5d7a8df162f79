//go:build !unix

package fifotest

import "errors"

// Mkfifo fails: this platform has no named pipes in the file system.
func Mkfifo(path string, mode uint32) error {
	return errors.New("named pipes in the file system exist only on Unix")
}
