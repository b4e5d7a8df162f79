package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/agent"
	"github.com/brs-go/brs/internal/agentproto"
	"github.com/brs-go/brs/internal/ttyprompt"
	"github.com/brs-go/brs/shared"
)

// agentOff reports whether this command must run in-process: --no-agent, or
// BRS_AGENT=off (or 0, false, no), or $BRS_REATTACH_PLUGINS set (a plugin under a
// debugger is attached by this process, which says so on its stderr, never by an
// agent).
func (c *cli) agentOff() bool {
	if c.noAgent {
		return true
	}
	if v, _ := c.lookupEnv("BRS_REATTACH_PLUGINS"); v != "" {
		return true
	}
	v, _ := c.lookupEnv("BRS_AGENT")
	switch strings.ToLower(v) {
	case "off", "0", "false", "no":
		return true
	}
	return false
}

// noteNoAgent says on stderr, once per command, why it runs without the agent.
func (c *cli) noteNoAgent(format string, args ...any) {
	if c.agentNoted.Swap(true) {
		return
	}
	fmt.Fprintf(c.stderr, "brs: not using the agent: %s; running in-process\n", fmt.Sprintf(format, args...))
}

// fromAgent asks the agent for a role's credentials, starting the agent if none runs.
// With handled false the command runs in-process (it has said why on stderr);
// with handled true and a nil role the failure was reported and code is the exit
// status.
func (c *cli) fromAgent(ctx context.Context, role string) (r *fetchedRole, code int, handled bool) {
	if c.agentOff() {
		return nil, 0, false
	}
	if agent.Unsupported != "" {
		c.noteNoAgent("%s", agent.Unsupported)
		return nil, 0, false
	}
	if _, nested := c.lookupEnv(envCredentialChain); nested {
		// Started by a brs plugin's credential chain: asking the agent could wait on
		// the very refresh that started this run. In-process, a loop is detected.
		c.logger.Debug("agent not used: running under a brs plugin; running in-process")
		return nil, 0, false
	}
	req, ok := c.agentRequest(agent.OpCredentials)
	if !ok {
		return nil, 0, false
	}
	req.Role = role
	socket := agent.SocketPath(c.lookupEnv)
	t := time.AfterFunc(slowFetch, func() {
		fmt.Fprintf(c.stderr, "brs: waiting for credentials of role %q from the agent…\n", role)
	})
	// At a terminal, the agent may ask what a source needs (an MFA code).
	var asked error
	ask := c.asker()
	if ask != nil {
		atTerminal := ask
		ask = func(ctx context.Context, role string, ps []agentproto.Prompt) (map[string]string, error) {
			t.Stop()
			a, err := atTerminal(ctx, role, ps)
			if ctx.Err() == nil {
				asked = err // not when the agent ended the question
			}
			return a, err
		}
	}
	resp, err := c.callAgent(ctx, socket, req, ask)
	t.Stop()
	if asked != nil {
		// The person declined (Ctrl-C, end of input): in-process would ask again.
		return nil, c.errorf("%v", asked), true
	}
	if err != nil {
		c.noteNoAgent("%v", err)
		return nil, 0, false
	}
	for _, w := range resp.Warnings {
		c.logger.Warn("config warning: " + w)
	}
	switch resp.Code {
	case "":
	case agent.CodeConfig:
		if resp.Diagnostics != "" {
			fmt.Fprint(c.stderr, resp.Diagnostics)
			return nil, exitError, true
		}
		return nil, c.errorf("%s", resp.Error), true
	case agent.CodeNoRole:
		return nil, c.errorf("%s", resp.Error), true
	case agent.CodeFetch:
		c.errorf("%s", resp.Error)
		fmt.Fprint(c.stderr, "brs: \"brs status\" shows every role's state and last error; the agent's log (brs agent status) shows the plugin's\n")
		return nil, exitError, true
	default:
		c.noteNoAgent("%s", resp.Error)
		return nil, 0, false
	}
	if resp.Credentials == nil {
		c.noteNoAgent("its answer holds no credentials")
		return nil, 0, false
	}
	ac := resp.Credentials
	return &fetchedRole{
		creds: shared.Credentials{AccessKeyID: ac.AccessKeyID, SecretAccessKey: ac.SecretAccessKey,
			SessionToken: ac.SessionToken, Expires: ac.Expires, AccountID: ac.AccountID, ARN: ac.ARN},
		source: resp.Source, region: resp.Region, endpoint: resp.Endpoint,
	}, exitOK, true
}

// agentRequest is a request about this command's config file, or false when the file
// cannot be found (the in-process path then reports that).
func (c *cli) agentRequest(op string) (agent.Request, bool) {
	path, err := c.configPath()
	if err != nil {
		return agent.Request{}, false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return agent.Request{}, false
	}
	req := agent.Request{Op: op, Config: abs, Environ: agent.ClientEnviron(c.environ()), Color: c.color, Version: versionString()}
	for _, d := range c.pluginDirs {
		if a, err := filepath.Abs(d); err == nil {
			d = a
		}
		req.PluginDirs = append(req.PluginDirs, d)
	}
	return req, true
}

// callAgent sends req to the agent, starting one if none runs, and replacing one that
// runs another version of brs. The agent's prompts are answered with ask (nil: none).
func (c *cli) callAgent(ctx context.Context, socket string, req agent.Request, ask agentproto.Asker) (*agent.Response, error) {
	resp, err := agent.CallAsk(ctx, socket, req, ask)
	if err == nil && resp.Code == agent.CodeVersion {
		c.logger.Debug("the agent runs another version of brs; replacing it", "reason", resp.Error)
		if _, err := stopAgent(ctx, socket); err != nil && !errors.Is(err, agent.ErrNotRunning) {
			return nil, err
		}
		err = agent.ErrNotRunning
	}
	if !errors.Is(err, agent.ErrNotRunning) {
		return resp, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding the brs executable to start the agent: %v", err)
	}
	level := "info"
	if v, _ := c.lookupEnv("BRS_AGENT_LOG_LEVEL"); v != "" {
		level = v
	}
	logPath := agent.LogPath(c.lookupEnv)
	c.logger.Debug("starting the agent", "socket", socket, "log", logPath)
	if err := agent.Start(ctx, exe, []string{"agent", "--log-level", level}, c.environ(), socket, logPath); err != nil {
		return nil, err
	}
	return agent.CallAsk(ctx, socket, req, ask)
}

// asker returns how to answer what the agent's sources ask (an MFA code): at the
// controlling terminal when brs runs in its foreground, else nil (the agent then
// answers with the source's message).
func (c *cli) asker() agentproto.Asker {
	if !ttyprompt.Available() {
		return nil
	}
	return ttyprompt.Answer
}
