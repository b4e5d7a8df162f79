package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/shared"
)

// slowFetch is how long fetching credentials may take before brs says on stderr what
// it is waiting for. A variable so that tests can shorten it.
var slowFetch = time.Second

// fetchedRole is a role's credentials, with their real expiry, and the settings the
// commands print them with: from the agent or from an in-process host.
type fetchedRole struct {
	creds                    shared.Credentials
	source, region, endpoint string
}

// fetchOptions changes how fetchRole gets a role's credentials.
type fetchOptions struct {
	// noAgent fetches in-process even when an agent could answer.
	noAgent bool
	// hostOptions are added to Load's options.
	hostOptions []host.Option
	// forSDK is for credential-process, whose stderr an AWS SDK shows: failures are
	// said without brs's hints, and there is no notice of a slow fetch.
	forSDK bool
}

// fetchRole gets a role's credentials for a command that prints them and exits: from
// the agent when one answers, else in-process (load the file, log its warnings, fetch,
// stop the plugins). On failure it has told the user, and returns nil and the exit
// status.
func (c *cli) fetchRole(ctx context.Context, role string, fo fetchOptions) (*fetchedRole, int) {
	if !fo.noAgent {
		if ar, code, handled := c.fromAgent(ctx, role); handled {
			return ar, code
		}
	}
	// Only the role and its source_role chain: the rest of the file is parsed, not
	// validated (brs validate does that).
	h, _, code := c.load(ctx, append(fo.hostOptions, host.WithOnly(role))...)
	if h == nil {
		return nil, code
	}
	defer c.closeHost(h)
	c.warnConfig(h)
	r, err := h.Role(role)
	if err != nil {
		return nil, c.errorf("%v", err) // it lists the roles there are
	}
	var creds shared.Credentials
	if fo.forSDK {
		creds, err = r.Credentials(ctx)
		err = oneShot(err)
	} else {
		creds, err = c.credentials(ctx, r)
	}
	if err != nil {
		if fo.forSDK {
			return nil, c.errorf("%v", err)
		}
		return nil, c.fetchFailed(err)
	}
	return &fetchedRole{creds: creds, source: r.Source(), region: r.Region(), endpoint: r.Endpoint()}, exitOK
}

// credentials fetches a role's credentials, with their real expiry. When that takes
// longer than slowFetch (a slow source, an MFA prompt, a hung plugin) it tells the
// user on stderr what it is waiting for.
func (c *cli) credentials(ctx context.Context, r *host.Role) (shared.Credentials, error) {
	t := time.AfterFunc(slowFetch, func() {
		fmt.Fprintf(c.stderr, "brs: waiting for credentials of role %q from source %q…\n", r.Name(), r.Source())
	})
	defer t.Stop()
	creds, err := r.Credentials(ctx)
	return creds, oneShot(err)
}

// oneShot returns a fetch's error as a command that exits after one fetch tells it:
// without the host's "(next attempt in …)", for this process makes no next attempt.
func oneShot(err error) error {
	var ce *host.CredentialsError
	if errors.As(err, &ce) && ce.RetryIn > 0 && err == error(ce) {
		e := *ce
		e.RetryIn = 0
		return &e
	}
	return err
}

// statusHint is what fetchFailed adds to a failure: where to look next.
const statusHint = "brs: \"brs status\" shows every role's state and last error; --log-level debug shows the plugin's log\n"

// fetchFailed reports that a role has no credentials, with what to do next, and
// returns exitError.
func (c *cli) fetchFailed(err error) int {
	c.errorf("%v", err)
	if !errors.Is(err, host.ErrUnknownRole) { // the message lists the roles there are
		fmt.Fprint(c.stderr, statusHint)
	}
	return exitError
}

// warnConfig logs the warnings Load found, for commands whose stdout is for programs.
func (c *cli) warnConfig(h *host.Host) {
	for _, d := range h.Warnings() {
		c.logger.Warn("config warning: " + d.Error())
	}
}

// closeHost stops the host's plugins, and logs what went wrong doing so: the
// command's own result stands either way.
func (c *cli) closeHost(h *host.Host) {
	if err := h.Close(); err != nil {
		c.logger.Warn("stopping the plugins", "error", err)
	}
}
