package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/brs-go/brs/host"
)

// setupStatus is `brs status [--json] [--no-fetch]`.
func setupStatus(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print JSON for scripts instead of the table")
	noFetch := fs.Bool("no-fetch", false, "show the state without fetching credentials first")
	return func(ctx context.Context, c *cli, _ []string) int {
		return runStatus(ctx, c, *asJSON, *noFetch)
	}
}

func runStatus(ctx context.Context, c *cli, asJSON, noFetch bool) int {
	if code, done := c.statusFromAgent(ctx, asJSON); done {
		return code
	}
	h, path, code := c.load(ctx)
	if h == nil {
		return code
	}
	defer c.closeHost(h)
	c.warnConfig(h)
	fetchErrs := map[string]error{}
	if !noFetch {
		fetchErrs = c.fetchAll(ctx, h, h.Roles())
	}
	st := h.Status()
	now := c.now()
	var err error
	if asJSON {
		err = writeStatusJSON(c.stdout, path, st, fetchErrs, now)
	} else {
		err = writeStatusTable(c.stdout, st, fetchErrs, now)
	}
	if err != nil {
		return c.errorf("writing to stdout: %v", err)
	}
	if len(fetchErrs) > 0 {
		return exitError
	}
	return exitOK
}

// fetchAll fetches the credentials of roles at the same time and returns the failures
// by role.
func (c *cli) fetchAll(ctx context.Context, h *host.Host, roles []string) map[string]error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := map[string]error{}
	for _, r := range roles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			role, err := h.Role(r)
			if err == nil {
				_, err = c.credentials(ctx, role)
			}
			if err != nil {
				mu.Lock()
				errs[r] = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errs
}

// roleError is the error to show for a role: the cache's last failure, else the
// failure of the fetch.
func roleError(s host.RoleStatus, fetchErrs map[string]error) string {
	if s.LastError != nil {
		return s.LastError.Error()
	}
	if err := fetchErrs[s.Role]; err != nil {
		return err.Error()
	}
	return ""
}

// writeStatusTable prints one line per role, for a person looking for what is wrong.
func writeStatusTable(w io.Writer, st []host.RoleStatus, fetchErrs map[string]error, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tSOURCE\tIDENTITY\tKEY\tEXPIRES\tLAST REFRESH\tNEXT REFRESH\tERROR")
	var failing []string
	for _, s := range st {
		source := s.Source
		if s.SourceRole != "" {
			source += " via " + s.SourceRole
		}
		identity := dash(s.ARN)
		if s.ARN == "" && s.AccountID != "" {
			identity = "account " + s.AccountID
		}
		expires := "-"
		switch {
		case s.AccessKeyID != "" && s.Expires.IsZero():
			expires = "never"
		case !s.Expires.IsZero() && !s.Expires.After(now):
			expires = "expired " + humanDuration(now.Sub(s.Expires)) + " ago"
		case !s.Expires.IsZero():
			expires = "in " + humanDuration(s.Expires.Sub(now))
		}
		next := relative(s.NextRefresh, now)
		if s.Refreshing {
			next = "refreshing"
		}
		errText := roleError(s, fetchErrs)
		if errText != "" {
			failing = append(failing, s.Role)
			if s.Failures > 1 {
				errText += fmt.Sprintf(" (%d failures in a row)", s.Failures)
			}
		}
		// Every cell is escaped: the identity, key id and error come from a plugin.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", termSafe(s.Role), termSafe(source), termSafe(identity), termSafe(dash(s.AccessKeyID)),
			expires, relative(s.LastRefresh, now), next, termSafe(dash(errText)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(failing) > 0 {
		_, err := fmt.Fprintf(w, "\n%d of %d roles failed (%s): check their config with \"brs validate\", and run with --log-level debug to see the plugin's log.\n",
			len(failing), len(st), strings.Join(failing, ", "))
		return err
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// statusDoc is the JSON of `brs status --json`. Its field names are stable; times are
// RFC 3339 in UTC and left out when unknown; errors are strings.
type statusDoc struct {
	Config string       `json:"config"`
	Time   string       `json:"time"`
	Roles  []roleStatus `json:"roles"`
}

type roleStatus struct {
	Role        string `json:"role"`
	Source      string `json:"source"`
	SourceRole  string `json:"source_role,omitempty"`
	Plugin      string `json:"plugin"`
	Valid       bool   `json:"valid"`
	AccessKeyID string `json:"access_key_id,omitempty"`
	AccountID   string `json:"account_id,omitempty"`
	ARN         string `json:"arn,omitempty"`
	Expires     string `json:"expires,omitempty"`
	LastRefresh string `json:"last_refresh,omitempty"`
	NextRefresh string `json:"next_refresh,omitempty"`
	Refreshing  bool   `json:"refreshing"`
	Refreshes   int    `json:"refreshes"`
	Failures    int    `json:"failures"`
	LastError   string `json:"last_error,omitempty"`
	LastErrorAt string `json:"last_error_at,omitempty"`
}

func writeStatusJSON(w io.Writer, path string, st []host.RoleStatus, fetchErrs map[string]error, now time.Time) error {
	doc := statusDoc{Config: path, Time: rfc3339(now), Roles: []roleStatus{}}
	for _, s := range st {
		doc.Roles = append(doc.Roles, roleStatus{
			Role: s.Role, Source: s.Source, SourceRole: s.SourceRole, Plugin: s.Plugin,
			Valid:       s.AccessKeyID != "" && (s.Expires.IsZero() || s.Expires.After(now)),
			AccessKeyID: s.AccessKeyID, AccountID: s.AccountID, ARN: s.ARN,
			Expires: rfc3339(s.Expires), LastRefresh: rfc3339(s.LastRefresh), NextRefresh: rfc3339(s.NextRefresh),
			Refreshing: s.Refreshing, Refreshes: s.Refreshes, Failures: s.Failures,
			LastError: roleError(s, fetchErrs), LastErrorAt: rfc3339(s.LastErrorAt),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
