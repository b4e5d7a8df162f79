package agentproto

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// SocketPath returns the agent's socket: $BRS_AGENT_SOCKET, else
// $XDG_RUNTIME_DIR/brs/agent.sock, else /tmp/brs-$UID/agent.sock. Relative values are
// ignored, as the XDG base directory specification says.
func SocketPath(lookupEnv func(string) (string, bool)) string {
	if v, _ := lookupEnv("BRS_AGENT_SOCKET"); filepath.IsAbs(v) {
		return v
	}
	if v, _ := lookupEnv("XDG_RUNTIME_DIR"); filepath.IsAbs(v) {
		return filepath.Join(v, "brs", "agent.sock")
	}
	return filepath.Join(os.TempDir(), "brs-"+strconv.Itoa(os.Getuid()), "agent.sock")
}

// EnsureDir creates dir (and its parents) with mode 0700 if it does not exist, then
// checks it as CheckDir does.
func EnsureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("agent directory %s: %v", dir, err)
	}
	return CheckDir(dir)
}

// CheckDir refuses a directory that is not safe to keep the agent's socket in: one
// that is a symbolic link or not a directory, that another user owns, or that group
// or others may write to (they could replace the socket with their own); and one
// that another user could swap for a directory of theirs, because a directory above
// it belongs to another user than root or this one, or is writable by group or
// others without the sticky bit (as /tmp has).
func CheckDir(dir string) error {
	if err := checkSocketDir(dir); err != nil {
		return err
	}
	return checkParents(dir)
}

func checkSocketDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("agent directory %s: %w", dir, err)
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("agent directory %s is a symbolic link; remove it, or set $BRS_AGENT_SOCKET to a path in a directory of your own", dir)
	}
	if !fi.IsDir() {
		return fmt.Errorf("agent directory %s is not a directory; remove it, or set $BRS_AGENT_SOCKET", dir)
	}
	owner, ok := OwnerOf(fi)
	if !ok {
		return fmt.Errorf("agent directory %s: cannot read its owner", dir)
	}
	if uid := os.Getuid(); owner != uid {
		return fmt.Errorf("agent directory %s belongs to uid %d, not to you (uid %d); refusing to use it: remove it, or set $BRS_AGENT_SOCKET to a path in a directory of your own", dir, owner, uid)
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("agent directory %s has mode %04o: others can write to it; refusing to use it: chmod 700 %s", dir, perm, dir)
	}
	return nil
}

// checkParents refuses dir when another user can rename a directory on its path, or
// on the path it resolves to: a directory above it owned by another user than root
// or this one, or writable by group or others and not sticky.
func checkParents(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("agent directory %s: %v", dir, err)
	}
	paths := []string{filepath.Dir(abs)}
	if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil && real != paths[0] {
		paths = append(paths, real)
	}
	uid := os.Getuid()
	for _, p := range paths {
		for {
			fi, err := os.Lstat(p)
			if err != nil {
				return fmt.Errorf("agent directory %s: %w", dir, err)
			}
			// A symbolic link's own mode means nothing; the directory holding it is
			// checked next, and its target through the resolved path.
			if fi.Mode()&os.ModeSymlink == 0 {
				owner, ok := OwnerOf(fi)
				if !ok {
					return fmt.Errorf("agent directory %s: cannot read the owner of %s", dir, p)
				}
				if owner != uid && owner != 0 {
					return fmt.Errorf("agent directory %s is inside %s, which belongs to uid %d: that user could swap it for a directory of theirs; refusing to use it: set $BRS_AGENT_SOCKET to a path in a directory of your own", dir, p, owner)
				}
				if perm := fi.Mode(); perm.Perm()&0o022 != 0 && perm&os.ModeSticky == 0 {
					return fmt.Errorf("agent directory %s is inside %s, of mode %04o: others can write to it and swap the directory for theirs; refusing to use it: chmod go-w %s (or chmod +t), or set $BRS_AGENT_SOCKET to a path in a directory of your own", dir, p, perm.Perm(), p)
				}
			}
			parent := filepath.Dir(p)
			if parent == p {
				break
			}
			p = parent
		}
	}
	return nil
}

// ErrNotRunning is returned by Call when no agent listens on the socket.
var ErrNotRunning = errors.New("no agent is running")
