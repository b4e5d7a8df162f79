//go:build !windows

package host

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/brs-go/brs/internal/proc"
)

// execFromFD is true where the binary can be run from its open file descriptor,
// through /proc/self/fd (Linux with /proc mounted). Elsewhere it is copied first.
var execFromFD = sync.OnceValue(func() bool {
	if runtime.GOOS != "linux" {
		return false
	}
	fi, err := os.Stat("/proc/self/fd")
	return err == nil && fi.IsDir()
})

// prepare makes cmd run the opened file, not whatever its path names by the time
// the process starts. It returns what to do once the process has started.
//
// With /proc, the child inherits the file as descriptor 3 and executes
// /proc/self/fd/3, which is that file (a script's interpreter opens the same path,
// which is why the descriptor is left open in the child). Without it, the file is
// copied into a directory only this user can write, and the copy runs.
func (b *binary) prepare(cmd *exec.Cmd) (func(), error) {
	if execFromFD() {
		cmd.ExtraFiles = []*os.File{b.f}
		cmd.Path = "/proc/self/fd/3"
		cmd.Env = append(cmd.Env, proc.EnvExecFD+"=3")
		return b.close, nil
	}
	dir, err := os.MkdirTemp("", "brs-plugin-")
	if err != nil {
		b.close()
		return nil, err
	}
	done := func() {
		b.close()
		_ = os.RemoveAll(dir) // a running program does not need its file
	}
	dst := filepath.Join(dir, filepath.Base(b.path))
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o700)
	if err != nil {
		done()
		return nil, err
	}
	fi, err := b.f.Stat()
	if err == nil {
		_, err = io.Copy(out, io.NewSectionReader(b.f, 0, fi.Size()))
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		done()
		return nil, err
	}
	cmd.Path = dst
	return done, nil
}
