package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

// setupEnv registers the flags of `brs env ROLE`.
func setupEnv(fs *flag.FlagSet) runFunc {
	format := fs.String("format", "sh", "the shell to write for: sh (bash, zsh, dash…), fish or powershell")
	return func(ctx context.Context, c *cli, args []string) int {
		return runEnv(ctx, c, args, *format)
	}
}

// runEnv is `brs env ROLE`.
func runEnv(ctx context.Context, c *cli, args []string, format string) int {
	role := args[0]
	shell, ok := shells[format]
	if !ok {
		return c.commandUsageError(lookupCommand("env"), "invalid --format %q: use sh, fish or powershell", format)
	}
	f, code := c.fetchRole(ctx, role, fetchOptions{})
	if f == nil {
		return code
	}
	return c.writeEnv(shell, role, f.creds, f.region)
}

// writeEnv prints the shell commands that export creds.
func (c *cli) writeEnv(shell shell, role string, creds shared.Credentials, region string) int {
	if _, err := fmt.Fprint(c.stdout, envScript(shell, role, creds, region, c.now())); err != nil {
		return c.errorf("writing to stdout: %v", err)
	}
	return exitOK
}

// shell is how one shell sets and unsets environment variables.
type shell struct {
	// set returns the command that exports name=value, value quoted.
	set func(name, value string) string
	// unset returns the command that removes the variables.
	unset func(names []string) string
	// load is how the output is read into the shell, for the closing comment.
	load string
}

// shells are the values of --format.
var shells = map[string]shell{
	"sh": {
		set:   func(n, v string) string { return "export " + n + "=" + shellQuote(v) + ";" },
		unset: func(ns []string) string { return "unset " + strings.Join(ns, " ") + ";" },
		load:  `eval "$(brs env ROLE)"`,
	},
	"fish": {
		set: func(n, v string) string { return "set -gx " + n + " " + fishQuote(v) + ";" },
		// set -e of a variable that is not set fails quietly; each is its own command so
		// that one missing variable does not keep the others.
		unset: func(ns []string) string {
			var b strings.Builder
			for i, n := range ns {
				if i > 0 {
					b.WriteString(" ")
				}
				b.WriteString("set -e " + n + ";")
			}
			return b.String()
		},
		load: "brs env --format fish ROLE | source",
	},
	"powershell": {
		set: func(n, v string) string { return "$Env:" + n + " = " + powershellQuote(v) + ";" },
		unset: func(ns []string) string {
			items := make([]string, len(ns))
			for i, n := range ns {
				items[i] = "Env:" + n
			}
			return "Remove-Item " + strings.Join(items, ", ") + " -ErrorAction SilentlyContinue;"
		},
		load: "brs env --format powershell ROLE | Out-String | Invoke-Expression",
	},
}

// envScript returns the commands that put creds into the environment of sh. Each ends
// with ";" and the comment comes last, so that the output also works joined into one
// line (as the unquoted eval $(brs env ROLE) of sh, or fish's eval, join it).
func envScript(sh shell, role string, creds shared.Credentials, region string, now time.Time) string {
	var b strings.Builder
	export := func(name, value string) { b.WriteString(sh.set(name, value) + "\n") }
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
		// botocore and the AWS CLI read it, and then report expired credentials as such.
		export("AWS_CREDENTIAL_EXPIRATION", creds.Expires.UTC().Format(time.RFC3339))
	} else {
		unset = append(unset, "AWS_CREDENTIAL_EXPIRATION")
	}
	if region != "" {
		export("AWS_REGION", region)
		export("AWS_DEFAULT_REGION", region)
	}
	b.WriteString(sh.unset(unset) + "\n")
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

// fishQuote quotes s for fish: in single quotes, inside which fish gives a meaning to
// two escapes only, \' and \\.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// powershellQuote quotes s for PowerShell: a verbatim single-quoted string, in which a
// quote is written twice. PowerShell also takes the typographic single quotes
// (U+2018, U+2019, U+201A, U+201B) for quotes, so each of those is doubled too.
func powershellQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'', '\u2018', '\u2019', '\u201A', '\u201B':
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}
