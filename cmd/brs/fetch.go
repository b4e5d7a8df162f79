package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/cache"
	"github.com/brs-go/brs/shared"
)

// slowFetch is how long fetching credentials may take before brs says on stderr what
// it is waiting for. A variable so that tests can shorten it.
var slowFetch = time.Second

// credentials fetches a role's credentials, with their real expiry. When that takes
// longer than slowFetch (a slow source, an MFA prompt, a hung plugin) it tells the
// user on stderr what it is waiting for.
func (c *cli) credentials(ctx context.Context, h *host.Host, role string) (shared.Credentials, error) {
	if _, err := h.Provider(role); err != nil {
		return shared.Credentials{}, err // no such role: nothing to wait for
	}
	t := time.AfterFunc(slowFetch, func() {
		fmt.Fprintf(c.stderr, "brs: waiting for credentials of role %q from source %q…\n", role, sourceOf(h, role))
	})
	defer t.Stop()
	creds, err := h.Credentials(ctx, role)
	return creds, oneShot(err)
}

// oneShot returns a fetch's error as a command that exits after one fetch tells it:
// without the cache's "(next attempt in …)", for this process makes no next attempt.
func oneShot(err error) error {
	var ce *cache.Error
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
func (c *cli) fetchFailed(h *host.Host, role string, err error) int {
	c.errorf("%v", err)
	if _, perr := h.Provider(role); perr != nil {
		return exitError // the message lists the roles there are
	}
	fmt.Fprint(c.stderr, statusHint)
	return exitError
}

// sourceOf returns the source of a role, or "?" if the host has no such role.
func sourceOf(h *host.Host, role string) string {
	for _, s := range h.Status() {
		if s.Role == role {
			return s.Source
		}
	}
	return "?"
}

// warnConfig logs the warnings Load found, for commands whose stdout is for programs.
func (c *cli) warnConfig(h *host.Host) {
	for _, d := range h.Warnings() {
		c.logger.Warn("config warning: " + d.Error())
	}
}

// roleSettings returns the region and the endpoint set in a role's block; empty when
// unset.
func roleSettings(h *host.Host, role string) (region, endpoint string) {
	for _, st := range h.Status() {
		if st.Role == role {
			return st.Region, st.Endpoint
		}
	}
	return "", ""
}
