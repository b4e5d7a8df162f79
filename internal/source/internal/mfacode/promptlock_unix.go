//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package mfacode

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/brs-go/brs/internal/agentproto"
)

// lockPoll is how often a prompt waiting for another process's prompt tries again.
const lockPoll = 50 * time.Millisecond

// lockSession makes the prompts of the processes of one terminal session take turns:
// each of brs's plugins is a process of its own, and two of them asking at once (an
// sts and a session role, say) would otherwise each take the terminal from the
// other. It takes an exclusive lock on a file named after the session, in the user's
// agent directory (checked as the agent's is: owned by the user, mode 0700), waiting
// until ctx ends. The lock is a courtesy between brs's own processes: when it cannot
// be taken for any reason but ctx, the prompt goes ahead without it.
func lockSession(ctx context.Context) (unlock func(), err error) {
	nothing := func() {}
	sid, err := unix.Getsid(0)
	if err != nil {
		return nothing, nil
	}
	dir := filepath.Dir(agentproto.SocketPath(os.LookupEnv))
	if agentproto.EnsureDir(dir) != nil {
		return nothing, nil
	}
	f, err := os.OpenFile(filepath.Join(dir, "prompt-"+strconv.Itoa(sid)+".lock"), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nothing, nil
	}
	fd := int(f.Fd())
	for {
		err := unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB)
		switch {
		case err == nil:
			return func() { _ = unix.Flock(fd, unix.LOCK_UN); f.Close() }, nil
		case errors.Is(err, unix.EINTR):
			continue
		case !errors.Is(err, unix.EWOULDBLOCK):
			f.Close()
			return nothing, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nothing, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}
