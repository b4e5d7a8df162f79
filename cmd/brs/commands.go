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
			name:    "import",
			args:    "[FILE]",
			summary: "Write a brs config from your AWS profiles",
			help: `Reads an AWS config file (FILE, else $AWS_CONFIG_FILE, else ~/.aws/config) and
the shared credentials file ($AWS_SHARED_CREDENTIALS_FILE, else
~/.aws/credentials), and prints an equivalent brs config on stdout:

  brs import -o ~/.config/brs/brs.hcl && brs validate

Profiles with role_arn become sts roles: source_profile chains become
source_role chains, and credential_source signs with the default credential
chain. SSO profiles (sso_session or the legacy sso_start_url form) become sso
roles, web_identity_token_file web_identity roles, credential_process process
roles; endpoint_url and [services NAME] sections set the roles' endpoints.

No secret is copied: a profile with keys (aws_access_key_id) becomes no role of
its own; the roles it signs name it with profile = "NAME", and brs reads the
keys from the AWS files at each refresh. What cannot be imported (a cycle, a
missing source_profile, a profile without credentials, a credential_process
that runs brs) is written as a comment and reported on stderr. A role with
mfa_serial needs a command that prints the code: replace the placeholder
mfa_token_command.

--profile NAME (repeatable) imports NAME and the profiles it takes its
credentials from. -o FILE writes the config to FILE, mode 0600, and refuses to
replace an existing FILE without --force.

--keys-to-keyring copies the long-term keys that roles sign with into the OS
keyring ("brs help keys"), under the profile's name, and writes keyring = NAME
instead of profile = NAME. The AWS files are left as they are unless
--remove-moved-keys is given too: then, once the keys are in the keyring and the
config is written, their aws_access_key_id, aws_secret_access_key and
aws_session_token lines leave ~/.aws/credentials; every other line stays byte for
byte, and the file is replaced atomically, or not at all if it changed meanwhile.

Exit status: 1 when no profile could be imported (nothing is written).`,
			maxArgs: 1,
			setup:   setupImport,
		},
		{
			name:    "validate",
			summary: "Check the config file and every role in it",
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
			summary: "Print ROLE's credential_process JSON",
			help: `Prints the credentials of ROLE to stdout as the JSON document that the AWS CLI
and every AWS SDK read from a credential_process command:

  {"Version":1,"AccessKeyId":"ASIA…","SecretAccessKey":"…","SessionToken":"…",
   "Expiration":"2026-01-02T15:04:05Z"}

Expiration is in UTC; it is left out for credentials that never expire, and
SessionToken for credentials without one. Nothing else is ever written to stdout:
errors go to stderr, with exit status 1.

The credentials come from the brs agent, started on first need, which keeps them
in memory and refreshes them in the background: one STS call per credential
lifetime, not one per command ("brs help agent"). With BRS_AGENT=off or
--no-agent brs loads the file, starts the plugins, fetches, and stops them.

Wire it into ~/.aws/config (absolute paths: the AWS CLI does not expand ~ or $VARS):

  [profile analytics]
  credential_process = /usr/local/bin/brs -c /etc/brs/brs.hcl credential-process analytics

then run, for example, "aws --profile analytics s3 ls". The AWS CLI and SDKs call
brs again shortly before Expiration.

brs-credential-process, installed next to brs by "go install ./cmd/...", is this
command in a small binary that starts several times faster; it takes the same
arguments without the command's name and hands brs whatever the agent does not
answer:

  credential_process = /usr/local/bin/brs-credential-process -c /etc/brs/brs.hcl analytics`,
			minArgs: 1, maxArgs: 1,
			setup: noFlags(runCredentialProcess),
		},
		{
			name:    "exec",
			args:    "ROLE -- CMD [ARG...]",
			summary: "Run CMD with ROLE's credentials, kept fresh",
			help: `Runs CMD with a private credentials endpoint for ROLE in its environment, the
one AWS SDKs know from containers (ECS, EKS):

  AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:PORT/roles/ROLE
  AWS_CONTAINER_AUTHORIZATION_TOKEN=<random, new for each run>

so a Python (boto3), Java, JavaScript or Go program, or the AWS CLI, uses ROLE's
credentials and gets fresh ones from brs for as long as it runs. The endpoint
listens on loopback only and answers only requests that carry the token. brs
fetches the credentials before it starts CMD, and stops the plugins after CMD
exits. AWS_REGION and AWS_DEFAULT_REGION are set to the role's region (else to
the region of your AWS configuration, which CMD does not see). Flags of brs go
before ROLE.

AWS SDKs try other credentials before the endpoint, so brs removes them from
CMD's environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_SECURITY_TOKEN, AWS_PROFILE, AWS_DEFAULT_PROFILE, AWS_ROLE_ARN,
AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE and the like. It also points
AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and BOTO_CONFIG at an empty file,
because a default profile with keys, SSO or credential_process would win too.
--keep-aws-config leaves those files and AWS_PROFILE as they are, and warns when
the profile holds credential settings.

Signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2) are passed on to
CMD; Ctrl-C in a terminal reaches CMD directly, so brs does not send it twice.
Exit status: CMD's, or 128+N if signal N killed it; 127 if CMD is not found, 126
if it cannot run; 1 if ROLE has no credentials (then CMD is not run).

  brs exec analytics -- python3 etl.py --since yesterday`,
			minArgs: 2, maxArgs: -1,
			setup: setupExec,
		},
		{
			name:    "serve",
			args:    "[ROLE...]",
			summary: "Serve credentials to other programs",
			help: `Runs the credentials endpoint of brs exec on its own, for any number of
programs, one path per role (every role of the file when none is named):

  http://127.0.0.1:PORT/roles/ROLE

It prints on stdout the variables a program needs: the token, and one
AWS_CONTAINER_CREDENTIALS_FULL_URI per role. Give a program those, and take
away what AWS SDKs use before the endpoint: AWS_ACCESS_KEY_ID and the other key
variables, AWS_PROFILE, a default profile with credentials in ~/.aws (brs exec
does all this by itself; see "brs help exec").

The token is new at every start. With --token-file PATH brs writes it to PATH
(mode 0600, replaced atomically) and prints
AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=PATH instead of the token: the SDKs
re-read the file at each request, so programs keep working across restarts of
brs serve. The file is removed when brs stops.

One token reaches every role, unless each role gets its own: with
--token-per-role the banner prints each role's token after its URI, and a
program given one role's token is refused the others (403). --token-dir DIR
does the same and writes each role's token to DIR/ROLE (mode 0600, removed when
brs stops), printing AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=DIR/ROLE.

The endpoint holds against other local processes: a request must send its
headers within 1s, may not carry a body (413), and every refused request closes
its connection; at most 128 connections are open at once, the others wait.

brs fetches every role once at start and warns about those that fail; it serves
them anyway. SIGINT or SIGTERM stop it: requests in progress finish, then the
plugins stop.`,
			maxArgs: -1,
			setup:   setupServe,
		},
		{
			name:    "env",
			args:    "ROLE",
			summary: "Print ROLE's credentials as shell exports",
			help: `Prints ROLE's current credentials as commands for a shell:

  eval "$(brs env analytics)"                                         # sh, bash, zsh
  brs env --format fish analytics | source                            # fish
  brs env --format powershell analytics | Out-String | Invoke-Expression

sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_CREDENTIAL_EXPIRATION (RFC 3339, UTC, as botocore and the AWS CLI read it;
and AWS_REGION, AWS_DEFAULT_REGION when the role has a region), unsets
AWS_SECURITY_TOKEN, and ends with a comment saying when the credentials expire.
They are not refreshed: for a long-running program use brs exec. The secrets
are written to stdout, and nowhere else.`,
			minArgs: 1, maxArgs: 1,
			setup: setupEnv,
		},
		{
			name:    "console",
			args:    "ROLE",
			summary: "Print an AWS console sign-in URL for ROLE",
			help: `Exchanges ROLE's current credentials for a sign-in token at the AWS federation
endpoint (https://signin.aws.amazon.com/federation, Action=getSigninToken) and
prints the URL that signs in to the AWS console with it, landing on the
console home in the role's region (--destination sets another page). With
--open, the URL is handed to xdg-open (open on macOS) instead of printed.

The URL is a credential: whoever opens it within 15 minutes is signed in to
the console as ROLE. brs writes it only to stdout (or hands it to the
browser), never to a log or an error; do not paste it anywhere.

The console accepts only temporary credentials with a session token (sts, sso,
web_identity, ecs roles); a role with long-term keys gets an error. A role
in us-gov-* or cn-* regions uses the endpoint and console of its partition;
--federation-endpoint (or $BRS_FEDERATION_ENDPOINT) replaces the endpoint.`,
			minArgs: 1, maxArgs: 1,
			setup: setupConsole,
		},
		{
			name:    "status",
			summary: "Show each role's identity, expiry, errors",
			help: `Fetches every role's credentials once (all at the same time), then prints a
table: role, source, identity (ARN or account, where the source reports it),
access key id, when the credentials expire, the last and the next refresh, and
the last error. With --no-fetch it only loads the file and starts the plugins.

--json prints the same for scripts: stable field names, times in RFC 3339
(UTC, left out when unknown), errors as strings.

When an agent runs and holds the file ("brs help agent"), status shows its live
roles instead, fetching nothing: the credentials it holds, its last and next
refreshes, failures, and its plugins' PIDs (--json adds an "agent" object).

Exit status: 1 when a role has no credentials (with an agent: when a role's last
refresh failed), else 0.`,
			maxArgs: 0,
			setup:   setupStatus,
		},
		{
			name:    "whoami",
			args:    "ROLE",
			summary: "Show who ROLE is, from STS GetCallerIdentity",
			help: `Calls STS GetCallerIdentity with ROLE's credentials and prints the account, the
ARN and the user id, with the access key id and its expiry. STS is called at the
role's endpoint, if it has one, in the role's region (else $AWS_REGION, else
$AWS_DEFAULT_REGION, else us-east-1).`,
			minArgs: 1, maxArgs: 1,
			setup: setupWhoami,
		},
		{
			name:    "refresh",
			args:    "[ROLE...]",
			summary: "Fetch new credentials now",
			help:    refreshHelp,
			maxArgs: -1,
			setup:   setupRefresh,
		},
		{
			name:    "agent",
			args:    "[status|stop]",
			summary: "Run the agent that caches credentials",
			help:    agentHelp,
			maxArgs: 1,
			setup:   setupAgent,
		},
		{
			name:    "plugins",
			args:    "[install|upgrade]",
			summary: "List, install or upgrade the plugins in use",
			help: `Starts the plugins the config file uses and lists them: source name, binary,
protocol version, the sha256 of the binary (computed now) and whether it
matches the sha256 pinned in the plugin block, the roles that use it, and the
process ID.

Exit status: 1 when a binary does not match its pinned sha256 or cannot be read.
` + pluginsInstallHelp,
			maxArgs: -1,
			setup:   setupPlugins,
		},
		keysCommand(),
		{
			name:    "completion",
			args:    "SHELL",
			summary: "Print a completion script (bash, zsh, fish)",
			help: `Prints a script that completes brs's commands, flags and role names (read
from the config file in use, as -c or $BRS_CONFIG says) in SHELL:

  bash:  eval "$(brs completion bash)"        e.g. in ~/.bashrc
  zsh:   source <(brs completion zsh)         in ~/.zshrc, after compinit
  fish:  brs completion fish > ~/.config/fish/completions/brs.fish

The script asks brs itself for the candidates, so it stays right when brs or the
config file changes. No plugin is started and no credentials are fetched.`,
			minArgs: 1, maxArgs: 1,
			setup: setupCompletion,
		},
		{
			name:    "plugin",
			args:    "new NAME [DIR]",
			summary: "Start a new plugin from the template",
			help:    pluginNewHelp,
			minArgs: 1, maxArgs: 3,
			setup: setupPluginNew,
		},
		{
			name:    "help",
			args:    "[COMMAND]",
			summary: "Show this help, or one command's",
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
  --no-agent         run on its own, without the agent (also BRS_AGENT=off)
  --version          print the version of brs and exit
  -h, --help         show this help; "brs COMMAND -h" shows a command's

Config file: the first of
  1. -c FILE
  2. $BRS_CONFIG
  3. $XDG_CONFIG_HOME/brs/brs.hcl ($XDG_CONFIG_HOME defaults to ~/.config)
(never ./brs.hcl; the file and its directories must be yours or root's and
not writable by others)

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
each --plugin-dir, $BRS_PLUGIN_DIR, the directory of the brs executable, $PATH,
and where go install puts binaries ($GOBIN, else $GOPATH/bin, else ~/go/bin).
The built-in plugins: run "go install ./cmd/..." in a brs checkout.

Start from the profiles you have in ~/.aws/config:
  brs import -o ~/.config/brs/brs.hcl && brs validate

Use with the AWS CLI and SDKs, in ~/.aws/config:
  [profile analytics]
  credential_process = /usr/local/bin/brs -c /etc/brs/brs.hcl credential-process analytics

Or run any program with a role's credentials, refreshed for as long as it runs:
  brs exec analytics -- python3 etl.py

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
