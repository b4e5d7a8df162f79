package agentproto

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ErrForeign is returned by Call when another user's process listens at the socket.
var ErrForeign = errors.New("the agent's socket belongs to another user")

// dialTimeout bounds connecting to the socket; a live agent accepts at once.
const dialTimeout = time.Second

// Call sends req to the agent at socket and returns its answer. It refuses a socket
// directory that CheckDir refuses and a listener of another user (ErrForeign), and
// returns ErrNotRunning when nothing listens.
// ctx cancels the call; the agent then cancels the request.
func Call(ctx context.Context, socket string, req Request) (*Response, error) {
	if Unsupported != "" {
		return nil, ErrUnsupported
	}
	if err := CheckDir(filepath.Dir(socket)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, ErrNotRunning
		}
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn, err := dial(socket, dialTimeout)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, os.ErrNotExist) {
			return nil, ErrNotRunning
		}
		return nil, fmt.Errorf("connecting to the agent at %s: %v", socket, err)
	}
	defer conn.Close()
	// Whoever listens must be this user: another user who swapped the directory or
	// the socket would otherwise receive the request and answer with its credentials.
	uid, err := PeerUID(conn)
	if err != nil {
		return nil, fmt.Errorf("the agent at %s: cannot tell who listens there (%v); refusing to talk to it", socket, err)
	}
	if me := os.Getuid(); uid != me {
		return nil, fmt.Errorf("%w: the process listening at %s belongs to uid %d, not to you (uid %d); refusing to talk to it: remove the socket, or set $BRS_AGENT_SOCKET to a path in a directory of your own", ErrForeign, socket, uid, me)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	if err := WriteMsg(conn, req); err != nil {
		return nil, fmt.Errorf("sending to the agent: %w", err)
	}
	var resp Response
	if err := ReadMsg(conn, &resp, false); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("reading the agent's answer: %w", err)
	}
	return &resp, nil
}
