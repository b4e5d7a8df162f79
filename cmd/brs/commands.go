package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one brs command. The table in commandList is the only place commands are
// declared: dispatch, `brs help` and the usage lines are all built from it.
type command struct {
	// name is what the user types, e.g. "credential-process".
	name string
	// args describes the positional arguments, e.g. "ROLE"; empty if none.
	args string
	// summary is one line for the command table.
	summary string
	// help is the text of `brs help NAME`, paragraphs separated by blank lines.
	help string
	// minArgs and maxArgs bound the number of positional arguments; maxArgs -1 means
	// no limit.
	minArgs, maxArgs int
	// setup registers the command's own flags on fs and returns the function that runs
	// the command once fs is parsed, so each run has its own flag values.
	setup func(fs *flag.FlagSet) runFunc
}

// runFunc runs a command with its positional arguments and returns the exit status.
type runFunc func(ctx context.Context, c *cli, args []string) int

// noFlags is the setup of a command without flags of its own.
func noFlags(fn runFunc) func(*flag.FlagSet) runFunc {
	return func(*flag.FlagSet) runFunc { return fn }
}

// commandList returns every command, in the order `brs help` lists them.
func commandList() []*command {
	return []*command{
		{
			name:    "validate",
			summary: "Check the config file and every role's config block",
			help: `Checks the config file: parses it, starts the plugin of every source its roles
name, and has each plugin check its roles' config blocks against its schema. No
AWS API is called.

Problems are printed to stderr with the lines of the file they point at, then one
line each as FILE:LINE:COLUMN. When there is no error it prints to stdout:

  ok: 2 roles (base, analytics) in brs.hcl

Exit status: 0 when the file is valid (warnings may have been printed), 1 when it
has errors, 2 when no config file was found.`,
			maxArgs: 0,
			setup:   noFlags(runValidate),
		},
		{
			name:    "credential-process",
			args:    "ROLE",
			summary: "Print ROLE's credentials as credential_process JSON",
			help: `Prints the credentials of ROLE to stdout as the JSON document that the AWS CLI
and every AWS SDK read from a credential_process command:

  {"Version":1,"AccessKeyId":"ASIA…","SecretAccessKey":"…","SessionToken":"…",
   "Expiration":"2026-01-02T15:04:05Z"}

Expiration is in UTC; it is left out for credentials that never expire, and
SessionToken for credentials without one. Nothing else is ever written to stdout:
errors go to stderr, with exit status 1. The plugins are stopped before brs exits.

Wire it into ~/.aws/config (absolute paths: the AWS CLI does not expand ~ or $VARS):

  [profile analytics]
  credential_process = /usr/local/bin/brs -c /etc/brs/brs.hcl credential-process analytics

then run, for example, "aws --profile analytics s3 ls". The AWS CLI and SDKs call
brs again shortly before Expiration.`,
			minArgs: 1, maxArgs: 1,
			setup: noFlags(runCredentialProcess),
		},
		{
			name:    "help",
			args:    "[COMMAND]",
			summary: "Show this help, or the help of one command",
			help:    `Shows the overview of brs, or with COMMAND the help of that command.`,
			maxArgs: 1,
			setup:   noFlags(runHelp),
		},
	}
}

// lookupCommand returns the command called name, or nil.
func lookupCommand(name string) *command {
	for _, cmd := range commandList() {
		if cmd.name == name {
			return cmd
		}
	}
	return nil
}

// usage is the command's synopsis.
func (cmd *command) usage() string {
	s := "brs [global flags] " + cmd.name
	if cmd.args != "" {
		s += " " + cmd.args
	}
	return s
}

// runHelp is `brs help [COMMAND]`.
func runHelp(_ context.Context, c *cli, args []string) int {
	if len(args) == 0 {
		writeHelp(c.stdout)
		return exitOK
	}
	cmd := lookupCommand(args[0])
	if cmd == nil {
		return c.usageError("unknown command %q", args[0])
	}
	writeCommandHelp(c.stdout, cmd)
	return exitOK
}

// writeShortUsage prints the synopsis and the command names, for wrong calls.
func writeShortUsage(w io.Writer) {
	var names []string
	for _, cmd := range commandList() {
		names = append(names, cmd.name)
	}
	fmt.Fprintf(w, "Usage: brs [global flags] COMMAND [args]\nCommands: %s\nRun \"brs help\" for more.\n", strings.Join(names, ", "))
}

// writeHelp prints the overview: what brs is, the commands, the global flags, where
// the config file and the plugins are found, and how to use it from ~/.aws/config.
func writeHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString(`brs keeps temporary AWS credentials fresh for long-running programs: roles are
declared in an HCL file, and each role's credential source runs as a plugin.

Usage:
  brs [global flags] COMMAND [args]

Commands:
`)
	cmds := commandList()
	width := 0
	for _, cmd := range cmds {
		width = max(width, len(synopsis(cmd)))
	}
	for _, cmd := range cmds {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, synopsis(cmd), cmd.summary)
	}
	b.WriteString(`
Global flags (before or after COMMAND):
  -c FILE            the config file (see "Config file" below)
  --plugin-dir DIR   look for plugins in DIR first (repeatable)
  --log-level LEVEL  off, error, warn, info, debug or trace (default warn);
                     logs go to stderr
  --version          print the version of brs and exit
  -h, --help         show this help; "brs COMMAND -h" shows a command's

Config file: the first of
  1. -c FILE
  2. $BRS_CONFIG
  3. ./brs.hcl
  4. $XDG_CONFIG_HOME/brs/brs.hcl ($XDG_CONFIG_HOME defaults to ~/.config)

  role "analytics" {
    source = "sts"                # the plugin that provides the credentials
    region = "us-east-1"
    config {                      # the plugin's own settings
      role_arn = "arn:aws:iam::111122223333:role/analytics"
      duration = "1h"
    }
  }

Plugins: source = "NAME" runs the command of a plugin "NAME" { command = "..." }
block if there is one, else an executable brs-plugin-NAME found in, in order:
each --plugin-dir, $BRS_PLUGIN_DIR, the directory of the brs executable, $PATH.

Use with the AWS CLI and SDKs, in ~/.aws/config:
  [profile analytics]
  credential_process = /usr/local/bin/brs -c /etc/brs/brs.hcl credential-process analytics

Run "brs help COMMAND" for more about a command.
`)
	_, _ = io.WriteString(w, b.String())
}

// synopsis is a command's name and arguments, as listed in the command table.
func synopsis(cmd *command) string {
	if cmd.args == "" {
		return cmd.name
	}
	return cmd.name + " " + cmd.args
}

// writeCommandHelp prints the help of one command, with its own flags if it has any.
func writeCommandHelp(w io.Writer, cmd *command) {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\n%s\n", cmd.usage(), cmd.help)
	// A fresh flag set, without the global flags: only the command's own are listed.
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	cmd.setup(fs)
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			b.WriteString("\nFlags:\n")
			first = false
		}
		name := "-" + f.Name
		if len(f.Name) > 1 {
			name = "-" + name
		}
		fmt.Fprintf(&b, "  %-20s %s\n", name, f.Usage)
	})
	b.WriteString("\nRun \"brs help\" for the global flags, the config file lookup and plugin discovery.\n")
	_, _ = io.WriteString(w, b.String())
}
