package agent

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

// LogPath returns the detached agent's log file: $XDG_STATE_HOME/brs/agent.log, with
// $XDG_STATE_HOME defaulting to ~/.local/state. Without a home directory it returns "".
func LogPath(lookupEnv func(string) (string, bool)) string {
	if v, _ := lookupEnv("XDG_STATE_HOME"); filepath.IsAbs(v) {
		return filepath.Join(v, "brs", "agent.log")
	}
	if home, _ := lookupEnv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".local", "state", "brs", "agent.log")
	}
	return ""
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
// or others may write to (they could replace the socket with their own).
func CheckDir(dir string) error {
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
	owner, ok := ownerOf(fi)
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

// errNotRunning is returned by Dial when no agent listens on the socket.
var errNotRunning = errors.New("no agent is running")
