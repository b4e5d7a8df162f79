package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/agent"
)

// statusFromAgent is `brs status` with a running agent: the live state of the
// agent's roles for this config file, fetching nothing. done is false when the
// command should behave as without an agent: it is turned off, none runs (which it
// says on stderr), or it has not loaded this file.
func (c *cli) statusFromAgent(ctx context.Context, asJSON bool) (code int, done bool) {
	if c.agentOff() {
		return 0, false
	}
	req, ok := c.agentRequest(agent.OpStatus)
	if !ok {
		return 0, false
	}
	socket := agent.SocketPath(c.lookupEnv)
	resp, err := agent.Call(ctx, socket, req)
	switch {
	case errors.Is(err, agent.ErrNotRunning):
		fmt.Fprintf(c.stderr, "brs: no agent is running (socket %s); fetching every role in-process\n", socket)
		return 0, false
	case err != nil:
		fmt.Fprintf(c.stderr, "brs: the agent cannot be asked (%v); fetching every role in-process\n", err)
		return 0, false
	case resp.Code == agent.CodeNotLoaded:
		fmt.Fprintf(c.stderr, "brs: the agent (pid %d) has not loaded %s yet; fetching every role in-process\n", resp.Agent.PID, req.Config)
		return 0, false
	case resp.Code != "":
		fmt.Fprintf(c.stderr, "brs: the agent answered: %s; fetching every role in-process\n", resp.Error)
		return 0, false
	}
	for _, w := range resp.Warnings {
		c.logger.Warn("config warning: " + w)
	}
	st := make([]host.RoleStatus, 0, len(resp.Roles))
	failed := false
	for _, r := range resp.Roles {
		hs := host.RoleStatus{Role: r.Role, Source: r.Source, SourceRole: r.SourceRole, Region: r.Region,
			Endpoint: r.Endpoint, Plugin: r.Plugin, AccessKeyID: r.AccessKeyID, AccountID: r.AccountID, ARN: r.ARN,
			Expires: r.Expires, LastRefresh: r.LastRefresh, NextRefresh: r.NextRefresh, Refreshing: r.Refreshing,
			Refreshes: r.Refreshes, LastErrorAt: r.LastErrorAt, Failures: r.Failures}
		if r.LastError != "" {
			hs.LastError = errors.New(r.LastError)
			failed = true
		}
		st = append(st, hs)
	}
	now := c.now()
	if asJSON {
		err = writeAgentStatusJSON(c, req.Config, st, resp, now)
	} else {
		err = writeStatusTable(c.stdout, st, nil, now)
		if err == nil {
			_, err = fmt.Fprint(c.stdout, agentStatusLines(resp, now))
		}
	}
	if err != nil {
		return c.errorf("writing to stdout: %v", err), true
	}
	if failed {
		return exitError, true
	}
	return exitOK, true
}

// agentStatusLines says, under the table, that the state is the agent's and which
// plugin processes hold it.
func agentStatusLines(resp *agent.Response, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nLive state of the agent (pid %d, up %s); file loaded %s ago. Nothing was fetched for this report.\n",
		resp.Agent.PID, humanDuration(now.Sub(resp.Agent.Started)), humanDuration(now.Sub(resp.Loaded)))
	for _, p := range resp.Plugins {
		pid := "not running"
		if p.PID > 0 {
			pid = fmt.Sprintf("pid %d", p.PID)
		}
		fmt.Fprintf(&b, "plugin %s: %s, %s (roles %s)\n", p.Name, pid, p.Path, strings.Join(p.Roles, ", "))
	}
	return b.String()
}

// agentDoc is the "agent" object of `brs status --json` when an agent answered.
type agentDoc struct {
	PID     int         `json:"pid"`
	Started string      `json:"started"`
	Loaded  string      `json:"loaded"`
	Socket  string      `json:"socket"`
	Plugins []pluginPID `json:"plugins"`
}

type pluginPID struct {
	Name  string   `json:"name"`
	Path  string   `json:"path"`
	PID   int      `json:"pid"`
	Roles []string `json:"roles"`
}

// writeAgentStatusJSON writes the document of `brs status --json` with an "agent"
// object added.
func writeAgentStatusJSON(c *cli, path string, st []host.RoleStatus, resp *agent.Response, now time.Time) error {
	var buf bytes.Buffer
	if err := writeStatusJSON(&buf, path, st, nil, now); err != nil {
		return err
	}
	var doc struct {
		statusDoc
		Agent agentDoc `json:"agent"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc.statusDoc); err != nil {
		return err
	}
	doc.Agent = agentDoc{PID: resp.Agent.PID, Started: rfc3339(resp.Agent.Started), Loaded: rfc3339(resp.Loaded),
		Socket: resp.Agent.Socket, Plugins: []pluginPID{}}
	for _, p := range resp.Plugins {
		doc.Agent.Plugins = append(doc.Agent.Plugins, pluginPID{Name: p.Name, Path: p.Path, PID: p.PID, Roles: p.Roles})
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
