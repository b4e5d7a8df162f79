package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

// runEnv is `brs env ROLE`.
func runEnv(ctx context.Context, c *cli, args []string) int {
	role := args[0]
	if ar, code, handled := c.fromAgent(ctx, role); handled {
		if ar == nil {
			return code
		}
		return c.writeEnv(role, ar.creds, ar.region)
	}
	h, _, code := c.load(ctx)
	if h == nil {
		return code
	}
	defer h.Close()
	c.warnConfig(h)
	creds, err := c.credentials(ctx, h, role)
	if err != nil {
		return c.fetchFailed(h, role, err)
	}
	region, _ := roleSettings(h, role)
	return c.writeEnv(role, creds, region)
}

// writeEnv prints the shell commands that export creds.
func (c *cli) writeEnv(role string, creds shared.Credentials, region string) int {
	if _, err := fmt.Fprint(c.stdout, envScript(role, creds, region, c.now())); err != nil {
		return c.errorf("writing to stdout: %v", err)
	}
	return exitOK
}

// envScript returns the shell commands that put creds into the environment. Each ends
// with ";" and the comment comes last, so that both eval "$(brs env ROLE)" and the
// unquoted eval $(brs env ROLE), which joins the lines into one, work.
func envScript(role string, creds shared.Credentials, region string, now time.Time) string {
	var b strings.Builder
	export := func(name, value string) { fmt.Fprintf(&b, "export %s=%s;\n", name, shellQuote(value)) }
	export("AWS_ACCESS_KEY_ID", creds.AccessKeyID)
	export("AWS_SECRET_ACCESS_KEY", creds.SecretAccessKey)
	// botocore reads AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN: a stale one would
	// be sent with the new keys.
	unset := []string{"AWS_SECURITY_TOKEN"}
	if creds.SessionToken != "" {
		export("AWS_SESSION_TOKEN", creds.SessionToken)
	} else {
		unset = append(unset, "AWS_SESSION_TOKEN")
	}
	if creds.CanExpire() {
		// botocore reads it, and then reports expired credentials as such.
		export("AWS_CREDENTIAL_EXPIRATION", creds.Expires.UTC().Format(time.RFC3339))
	} else {
		unset = append(unset, "AWS_CREDENTIAL_EXPIRATION")
	}
	if region != "" {
		export("AWS_REGION", region)
		export("AWS_DEFAULT_REGION", region)
	}
	fmt.Fprintf(&b, "unset %s;\n", strings.Join(unset, " "))
	if creds.CanExpire() {
		fmt.Fprintf(&b, "# role %s: expires %s, in %s; run brs env again before then, or use brs exec, which keeps them fresh\n",
			role, creds.Expires.UTC().Format(time.RFC3339), humanDuration(creds.Expires.Sub(now)))
	} else {
		fmt.Fprintf(&b, "# role %s: these credentials do not expire\n", role)
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell: in single quotes, each single quote in s
// written as quote, backslash, quote, quote (the shell's way to put one inside).
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
