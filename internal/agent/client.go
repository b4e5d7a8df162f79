package agent

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/agentproto"
)

// ErrNotRunning is returned by Call when no agent listens on the socket.
var ErrNotRunning = agentproto.ErrNotRunning

// ErrForeign is returned by Call when another user's process listens at the socket.
var ErrForeign = agentproto.ErrForeign

// Call sends req to the agent at socket and returns its answer (agentproto.Call).
func Call(ctx context.Context, socket string, req Request) (*Response, error) {
	return agentproto.Call(ctx, socket, req)
}

// CallAsk is Call for a client that answers the agent's prompts with ask (see
// agentproto.CallAsk); a nil ask is Call.
func CallAsk(ctx context.Context, socket string, req Request, ask agentproto.Asker) (*Response, error) {
	return agentproto.CallAsk(ctx, socket, req, ask)
}

// NotifyEnv names the variable that tells a starting agent which file descriptor to
// report on: "ready" once it listens, "running" when another agent holds the lock.
const NotifyEnv = "BRS_AGENT_NOTIFY_FD"

// startTimeout bounds how long Start waits for the agent to listen.
const startTimeout = 5 * time.Second

// Start starts a detached agent: exe with args and env, in a session of its own,
// stdin and stdout on the null device, stderr appended to logPath (created 0600 in a
// 0700 directory). It returns once the agent listens on socket, or once another agent
// that was starting at the same time does.
func Start(ctx context.Context, exe string, args, env []string, socket, logPath string) error {
	if Unsupported != "" {
		return fmt.Errorf("%w: %s", ErrUnsupported, Unsupported)
	}
	if err := EnsureDir(filepath.Dir(socket)); err != nil {
		return err
	}
	var logFile *os.File
	if logPath != "" {
		if err := os.MkdirAll(filepath.Dir(logPath), 0o700); err != nil {
			return fmt.Errorf("agent log: %v", err)
		}
		f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("agent log: %v", err)
		}
		defer f.Close()
		if err := f.Chmod(0o600); err != nil {
			return fmt.Errorf("agent log: %v", err)
		}
		logFile = f
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(env, NotifyEnv+"=3")
	if logFile != nil {
		cmd.Stderr = logFile
	}
	cmd.ExtraFiles = []*os.File{w}
	detach(cmd)
	cmd.Dir = "/"
	err = cmd.Start()
	w.Close()
	if err != nil {
		return fmt.Errorf("starting the agent: %v", err)
	}
	go func() { _ = cmd.Wait() }() // reaps it if it exits while this process lives

	deadline := time.Now().Add(startTimeout)
	_ = r.SetReadDeadline(deadline)
	line, _ := bufio.NewReader(r).ReadString('\n')
	switch strings.TrimSpace(line) {
	case "ready":
		return nil
	case "running":
		// Another agent is starting: wait until it listens.
		for time.Now().Before(deadline) {
			if _, err := Call(ctx, socket, Request{Op: OpInfo}); err == nil {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
		return fmt.Errorf("another agent holds the lock in %s but does not answer", filepath.Dir(socket))
	}
	where := "its log"
	if logPath != "" {
		where = logPath
	}
	return fmt.Errorf("the agent did not start (see %s)", where)
}

// Notify reports to the process that started this agent, if any, and stops the
// variable from reaching the plugins.
func Notify(lookupEnv func(string) (string, bool), msg string) {
	v, ok := lookupEnv(NotifyEnv)
	if !ok {
		return
	}
	os.Unsetenv(NotifyEnv)
	if v != "3" {
		return
	}
	f := os.NewFile(3, "notify")
	if f == nil {
		return
	}
	_, _ = f.WriteString(msg + "\n")
	f.Close()
}
