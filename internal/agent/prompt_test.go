//go:build unix

package agent

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/agentproto"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

const testPluginPkg = "github.com/brs-go/brs/internal/testutil/testplugin"

// askingAgent serves an agent (stopped at cleanup) whose hosts have opts, and returns
// it with a credentials request for role "p", whose source (a testplugin subprocess)
// asks for "open sesame".
func askingAgent(t *testing.T, opts ...host.Option) (*Server, Request) {
	t.Helper()
	s, done := serveWith(t, Config{Environ: []string{"HOME=/h"}, HostOptions: opts})
	t.Cleanup(func() { stopServer(t, s, done) })
	cfg := writeConfig(t, t.TempDir(), "brs.hcl", `plugin "test" { command = "`+plugintestbin.Build(t, testPluginPkg)+`" }
role "p" {
  source = "test"
  config { ask = "open sesame" }
}`)
	return s, Request{Op: OpCredentials, Version: "test", Config: cfg, Role: "p", Environ: []string{"HOME=/h"}}
}

// TestPromptThroughTheAgent: a source of the agent (a real plugin subprocess) that
// needs an answer asks the client that said it can ask (CodePrompt, then OpAnswers on
// the same connection), and only such a client; a client that hangs up at the
// question, or answers what was not asked or too much, fails that request alone, and
// the agent goes on serving.
func TestPromptThroughTheAgent(t *testing.T) {
	s, req := askingAgent(t)
	ctx := context.Background()

	// No Prompt in the request: the source's message, never a question.
	resp, err := agentproto.Call(ctx, s.cfg.Socket, req)
	if err != nil || resp.Code != CodeFetch || !strings.Contains(resp.Error, "nobody can be asked") {
		t.Fatalf("a client that cannot ask: %+v, %v; want the source's message", resp, err)
	}

	// A client that hangs up at the question.
	conn, err := net.Dial("unix", s.cfg.Socket)
	if err != nil {
		t.Fatal(err)
	}
	r := req
	r.Prompt = true
	if err := writeMsg(conn, r); err != nil {
		t.Fatal(err)
	}
	var q Response
	if err := readMsg(conn, &q, false); err != nil || q.Code != CodePrompt || q.Role != "p" ||
		len(q.Prompts) != 1 || q.Prompts[0] != (agentproto.Prompt{ID: "test:1", Text: "Passphrase for p: ", Secret: true}) {
		t.Fatalf("the question: %+v, %v", q, err)
	}
	conn.Close()

	// Answers that were not asked, or too long: refused, the request fails.
	for _, bad := range []map[string]string{
		{"test:1": "open sesame", "other": "x"},
		{"test:1": strings.Repeat("x", shared.MaxAnswerLen+1)},
	} {
		resp, err := agentproto.CallAsk(ctx, s.cfg.Socket, req, func(context.Context, string, []agentproto.Prompt) (map[string]string, error) {
			return bad, nil
		})
		if err != nil || resp.Code != CodeFetch || !strings.Contains(resp.Error, "PromptFailed") {
			t.Errorf("answers %.40q: %+v, %v; want PromptFailed", bad, resp, err)
		}
	}

	// A client whose person declines: the call ends with its error.
	declined := errors.New("declined")
	if _, err := agentproto.CallAsk(ctx, s.cfg.Socket, req, func(context.Context, string, []agentproto.Prompt) (map[string]string, error) {
		return nil, declined
	}); !errors.Is(err, declined) {
		t.Fatalf("a client that declines: %v", err)
	}

	// A client that answers: credentials, asked once.
	var asked []string
	resp, err = agentproto.CallAsk(ctx, s.cfg.Socket, req, func(_ context.Context, role string, ps []agentproto.Prompt) (map[string]string, error) {
		asked = append(asked, role)
		return map[string]string{ps[0].ID: "open sesame"}, nil
	})
	if err != nil || resp.Code != "" || resp.Credentials == nil || len(asked) != 1 {
		t.Fatalf("a client that answers: %+v, %v after %d questions", resp, err, len(asked))
	}
	// Then anyone gets them, without a question.
	if resp2, err := agentproto.Call(ctx, s.cfg.Socket, req); err != nil || resp2.Credentials == nil ||
		resp2.Credentials.AccessKeyID != resp.Credentials.AccessKeyID {
		t.Fatalf("after the answer, a client that cannot ask: %+v, %v", resp2, err)
	}
}

// TestPromptEndsWithTheRefresh: when the refresh's time runs out while the person is
// asked, the agent answers the request, and the client's question ends with it (the
// ask's context is done) instead of waiting at the terminal for an answer nobody
// will read; the call returns the agent's answer.
func TestPromptEndsWithTheRefresh(t *testing.T) {
	s, req := askingAgent(t, host.WithRefreshTimeout(2*time.Second))
	ended := make(chan struct{})
	resp, err := agentproto.CallAsk(context.Background(), s.cfg.Socket, req, func(ctx context.Context, _ string, _ []agentproto.Prompt) (map[string]string, error) {
		select {
		case <-ctx.Done(): // the person never types
			close(ended)
			return nil, ctx.Err()
		case <-time.After(time.Minute): // a failure's bound, not a synchronisation
			return nil, errors.New("the question outlived the refresh")
		}
	})
	select {
	case <-ended:
	default:
		t.Fatalf("the question did not end with the request: %+v, %v", resp, err)
	}
	if err != nil || resp.Code != CodeFetch || !strings.Contains(resp.Error, "while waiting for an answer") {
		t.Fatalf("the call after the refresh ran out of time: %+v, %v; want the agent's answer", resp, err)
	}
}
