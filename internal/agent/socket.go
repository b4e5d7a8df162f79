package agent

import (
	"path/filepath"

	"github.com/brs-go/brs/internal/agentproto"
)

// SocketPath returns the agent's socket: $BRS_AGENT_SOCKET, else
// $XDG_RUNTIME_DIR/brs/agent.sock, else /tmp/brs-$UID/agent.sock (agentproto.SocketPath).
func SocketPath(lookupEnv func(string) (string, bool)) string {
	return agentproto.SocketPath(lookupEnv)
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
func EnsureDir(dir string) error { return agentproto.EnsureDir(dir) }

// CheckDir refuses a directory that is not safe to keep the agent's socket in
// (agentproto.CheckDir).
func CheckDir(dir string) error { return agentproto.CheckDir(dir) }
