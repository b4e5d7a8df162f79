package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/brs-go/brs/internal/agent"
)

// refreshHelp is the help of `brs refresh`.
const refreshHelp = `Fetches new credentials for each ROLE (every role of the file if none) now, even
if the held ones are valid or the role is waiting before retrying a failure: after
you fixed a credentials file, a token or a trust policy. With an agent running, its
roles are refreshed, and later commands get the new credentials; without one the
roles are fetched in-process (which checks that they work).

It prints one line per role: the new access key id and expiry, or the error.
Exit status: 1 when a role failed, else 0.`

// setupRefresh is `brs refresh [ROLE...]`.
func setupRefresh(*flag.FlagSet) runFunc {
	return func(ctx context.Context, c *cli, roles []string) int {
		results, code, done := c.refreshThroughAgent(ctx, roles)
		if !done {
			results, code = c.refreshInProcess(ctx, roles)
		}
		if results == nil {
			return code
		}
		failed := false
		for _, r := range results {
			var err error
			if r.Error != "" {
				failed = true
				_, err = fmt.Fprintf(c.stdout, "%s: failed: %s\n", r.Role, r.Error)
			} else {
				until := "without expiry"
				if !r.Expires.IsZero() {
					until = "until " + rfc3339(r.Expires)
				}
				_, err = fmt.Fprintf(c.stdout, "%s: refreshed, %s %s\n", r.Role, r.AccessKeyID, until)
			}
			if err != nil {
				return c.errorf("writing to stdout: %v", err)
			}
		}
		if failed {
			return exitError
		}
		return exitOK
	}
}

// refreshThroughAgent asks a running agent to refresh roles; it starts none. done is
// false when no agent could be asked (said on stderr, once).
func (c *cli) refreshThroughAgent(ctx context.Context, roles []string) ([]agent.Refreshed, int, bool) {
	if c.agentOff() {
		return nil, 0, false
	}
	if agent.Unsupported != "" {
		c.noteNoAgent("%s", agent.Unsupported)
		return nil, 0, false
	}
	req, ok := c.agentRequest(agent.OpRefresh)
	if !ok {
		return nil, 0, false
	}
	req.Roles = roles
	socket := agent.SocketPath(c.lookupEnv)
	resp, err := agent.CallAsk(ctx, socket, req, c.asker())
	switch {
	case errors.Is(err, agent.ErrNotRunning):
		c.noteNoAgent("no agent is running (socket %s)", socket)
		return nil, 0, false
	case err != nil:
		c.noteNoAgent("%v", err)
		return nil, 0, false
	}
	for _, w := range resp.Warnings {
		c.logger.Warn("config warning: " + w)
	}
	switch resp.Code {
	case "":
		return resp.Refreshed, exitOK, true
	case agent.CodeConfig:
		if resp.Diagnostics != "" {
			fmt.Fprint(c.stderr, resp.Diagnostics)
			return nil, exitError, true
		}
		return nil, c.errorf("%s", resp.Error), true
	case agent.CodeNoRole:
		return nil, c.errorf("%s", resp.Error), true
	}
	c.noteNoAgent("%s", resp.Error)
	return nil, 0, false
}

// refreshInProcess loads the file and fetches each role once.
func (c *cli) refreshInProcess(ctx context.Context, roles []string) ([]agent.Refreshed, int) {
	h, _, code := c.load(ctx)
	if h == nil {
		return nil, code
	}
	defer c.closeHost(h)
	c.warnConfig(h)
	if len(roles) == 0 {
		roles = h.Roles()
	}
	for _, name := range roles {
		if _, err := h.Role(name); err != nil {
			return nil, c.errorf("%v", err)
		}
	}
	var out []agent.Refreshed
	for _, name := range roles {
		r, _ := h.Role(name)
		res := agent.Refreshed{Role: name}
		creds, err := r.Credentials(ctx)
		if err != nil {
			res.Error = oneShot(err).Error()
		} else {
			res.AccessKeyID, res.Expires = creds.AccessKeyID, creds.Expires
		}
		out = append(out, res)
	}
	return out, exitOK
}
