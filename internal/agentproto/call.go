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
	return CallAsk(ctx, socket, req, nil)
}

// Asker asks the person at the client's terminal what a source needs answered for
// role, and returns the answers by prompt id.
type Asker func(ctx context.Context, role string, prompts []Prompt) (map[string]string, error)

// CallAsk is Call for a client that can ask at its terminal: with ask set, the
// request says so (Request.Prompt), and each CodePrompt response is answered with
// ask's answers (at most MaxPromptRounds) before the final response. An error of
// ask ends the call, which cancels the request. ask's context ends if the agent
// ends the request while the person is asked; the call then returns the agent's
// final response.
func CallAsk(ctx context.Context, socket string, req Request, ask Asker) (*Response, error) {
	req.Prompt = ask != nil
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
	// After a question, the next message is read while the person is asked: the
	// agent may end the request meanwhile (its refresh timed out), and the question
	// then ends too instead of waiting on a person for nothing.
	type message struct {
		resp *Response
		err  error
	}
	var pending chan message
	read := func() (*Response, error) {
		if pending != nil {
			m := <-pending
			pending = nil
			return m.resp, m.err
		}
		var resp Response
		err := ReadMsg(conn, &resp, false)
		return &resp, err
	}
	for round := 0; ; round++ {
		resp, err := read()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("reading the agent's answer: %w", err)
		}
		if resp.Code != CodePrompt {
			return resp, nil
		}
		if ask == nil || round >= MaxPromptRounds || len(resp.Prompts) == 0 {
			return nil, fmt.Errorf("the agent asked a question this call cannot answer")
		}
		actx, cancel := context.WithCancel(ctx)
		pending = make(chan message, 1)
		go func(p chan<- message) {
			var next Response
			err := ReadMsg(conn, &next, false)
			p <- message{&next, err}
			cancel()
		}(pending)
		answers, err := ask(actx, resp.Role, resp.Prompts)
		agentSpoke := actx.Err() != nil && ctx.Err() == nil
		cancel()
		if agentSpoke {
			continue // the request ended (or the agent hung up) during the question
		}
		if err != nil {
			return nil, err
		}
		if err := WriteMsg(conn, Request{Op: OpAnswers, Answers: answers}); err != nil {
			return nil, fmt.Errorf("sending to the agent: %w", err)
		}
	}
}
