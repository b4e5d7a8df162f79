// Package credentialprocess is `brs credential-process ROLE` as far as a running agent
// answers it, and the JSON document the command prints. It links the agent's protocol
// (internal/agentproto) and nothing of the host, the AWS SDK, HCL or gRPC, so that
// the small brs-credential-process binary built on it starts in a few milliseconds;
// whatever it does not answer itself (no agent yet, an error, a warning, a flag it
// does not know) it leaves to brs, which then runs the command in full.
package credentialprocess

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/agentproto"
	"github.com/brs-go/brs/internal/proc"
	"github.com/brs-go/brs/internal/safetext"
	"github.com/brs-go/brs/shared"
)

// Command is the brs command this package answers.
const Command = "credential-process"

// RefresherProtocol is the refresher protocol version that brs's version string
// names (pluginrpc.ProtocolVersion, which this package does not link: a test of
// cmd/brs checks that both say the same).
const RefresherProtocol = 2

// Document is the JSON document a credential_process command prints, as the AWS CLI
// and SDKs read it.
type Document struct {
	Version         int    `json:"Version"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken,omitempty"`
	Expiration      string `json:"Expiration,omitempty"`
}

// JSON returns creds as a credential_process document, newline terminated.
func JSON(creds shared.Credentials) ([]byte, error) {
	doc := Document{
		Version:         1,
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		SessionToken:    creds.SessionToken,
	}
	if creds.CanExpire() {
		doc.Expiration = creds.Expires.UTC().Format(time.RFC3339)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Version is brs's version string for mainVersion (the binary's version set at link
// time, or ""): what `brs --version` prints and what a client sends the agent, which
// refuses a client of another version.
func Version(mainVersion string) string {
	v := mainVersion
	if v == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			v = bi.Main.Version
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return fmt.Sprintf("brs %s (refresher protocol %d, %s)", v, RefresherProtocol, runtime.Version())
}

// Env is what a command reads from its process: its environment and its standard
// error (whether it is a terminal).
type Env struct {
	LookupEnv func(string) (string, bool)
	Environ   func() []string
	// StderrTerminal reports whether standard error is a terminal (diagnostics are
	// coloured then).
	StderrTerminal bool
	// Version is the version string the request carries (Version).
	Version string
	// Ask, if set, asks the person at the terminal what the agent's sources need
	// (an MFA code); nil where nobody can be asked.
	Ask agentproto.Asker
}

// stringList is a repeatable string flag, as brs's --plugin-dir.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ", ") }

func (s *stringList) Set(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	*s = append(*s, v)
	return nil
}

// options are brs's global flags.
type options struct {
	configFile string
	pluginDirs stringList
	logLevel   string
	noAgent    bool
}

func (o *options) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("brs", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&o.configFile, "c", o.configFile, "config file")
	fs.Var(&o.pluginDirs, "plugin-dir", "directory searched for plugins (repeatable)")
	fs.StringVar(&o.logLevel, "log-level", o.logLevel, "log level")
	fs.BoolVar(&o.noAgent, "no-agent", o.noAgent, "run in-process, without the agent")
	return fs
}

// Request returns the request brs would send the agent for args (brs's arguments:
// global flags, "credential-process", ROLE), and the role. It returns false
// whenever brs would not ask the agent for a role's credentials, or might say more
// than the credentials on the way (a help flag, a flag it does not know, a log level
// that shows more than warnings, the agent switched off, a run under a brs plugin,
// a config file that cannot be found): brs must then run the command itself.
func Request(args []string, env Env) (agentproto.Request, string, bool) {
	o := options{logLevel: "warn"}
	fs := o.flagSet()
	if err := fs.Parse(args); err != nil {
		return agentproto.Request{}, "", false
	}
	rest := fs.Args()
	if len(rest) == 0 || rest[0] != Command {
		return agentproto.Request{}, "", false
	}
	fs = o.flagSet()
	if err := fs.Parse(rest[1:]); err != nil || fs.NArg() != 1 {
		return agentproto.Request{}, "", false
	}
	role := fs.Arg(0)
	switch strings.ToLower(o.logLevel) {
	case "warn", "error", "off":
	default:
		return agentproto.Request{}, "", false // debug output, or a usage error
	}
	if o.noAgent || agentproto.Unsupported != "" {
		return agentproto.Request{}, "", false
	}
	if v, _ := env.LookupEnv("BRS_REATTACH_PLUGINS"); v != "" {
		return agentproto.Request{}, "", false
	}
	if v, _ := env.LookupEnv("BRS_AGENT"); agentOff(v) {
		return agentproto.Request{}, "", false
	}
	// Run by a brs plugin or inside another credential-process run: brs works
	// in-process there, where it detects a credential loop.
	for _, v := range []string{proc.EnvHostPipe, "BRS_CREDENTIAL_PROCESS_CHAIN"} {
		if _, ok := env.LookupEnv(v); ok {
			return agentproto.Request{}, "", false
		}
	}
	path, ok := configPath(o.configFile, env.LookupEnv)
	if !ok {
		return agentproto.Request{}, "", false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return agentproto.Request{}, "", false
	}
	noColor, _ := env.LookupEnv("NO_COLOR")
	req := agentproto.Request{
		Op:      agentproto.OpCredentials,
		Config:  abs,
		Environ: agentproto.ClientEnviron(env.Environ()),
		Color:   noColor == "" && env.StderrTerminal,
		Version: env.Version,
		Role:    role,
	}
	for _, d := range o.pluginDirs {
		if a, err := filepath.Abs(d); err == nil {
			d = a
		}
		req.PluginDirs = append(req.PluginDirs, d)
	}
	return req, role, true
}

// agentOff reports whether a value of $BRS_AGENT switches the agent off.
func agentOff(v string) bool {
	switch strings.ToLower(v) {
	case "off", "0", "false", "no":
		return true
	}
	return false
}

// configPath is brs's config file lookup where it succeeds: -c FILE, else
// $BRS_CONFIG, else $XDG_CONFIG_HOME/brs/brs.hcl (~/.config by default), the first
// two required to exist and the last used only when it does. false where brs
// would report an error.
func configPath(flagValue string, lookupEnv func(string) (string, bool)) (string, bool) {
	if flagValue != "" {
		return flagValue, isFile(flagValue)
	}
	if v, _ := lookupEnv("BRS_CONFIG"); v != "" {
		return v, isFile(v)
	}
	var xdg string
	if dir, _ := lookupEnv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		xdg = filepath.Join(dir, "brs", "brs.hcl")
	} else if home, _ := lookupEnv("HOME"); home != "" {
		xdg = filepath.Join(home, ".config", "brs", "brs.hcl")
	}
	return xdg, xdg != "" && isFile(xdg)
}

// isFile reports whether path exists and is not a directory.
func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

// SlowFetch is how long the agent may take to answer before the command says on
// stderr what it waits for, as brs does.
var SlowFetch = time.Second

// FromAgent runs `brs credential-process ROLE` (args as brs takes them) when a
// running agent answers it with credentials and nothing else to say: it prints them
// to stdout and returns the exit status and true. It returns false, having written
// nothing to stdout, whenever brs
// must run the command itself: Request said so, no agent runs, it is not the user's
// own, or it answers an error, a warning, or another version. The agent's socket and
// the process listening on it are checked as brs checks them (agentproto.Call).
func FromAgent(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) (code int, handled bool) {
	req, role, ok := Request(args, env)
	if !ok {
		return 0, false
	}
	t := time.AfterFunc(SlowFetch, func() {
		fmt.Fprintf(stderr, "brs: waiting for credentials of role %q from the agent…\n", role)
	})
	// At a terminal, the agent may ask what a source needs (an MFA code): the
	// question is asked here, where the person is.
	var ask agentproto.Asker
	var asked error
	if env.Ask != nil {
		ask = func(ctx context.Context, role string, ps []agentproto.Prompt) (map[string]string, error) {
			t.Stop()
			a, err := env.Ask(ctx, role, ps)
			if ctx.Err() == nil {
				asked = err // not when the agent ended the question
			}
			return a, err
		}
	}
	resp, err := agentproto.CallAsk(ctx, agentproto.SocketPath(env.LookupEnv), req, ask)
	t.Stop()
	if asked != nil {
		// The person declined (Ctrl-C, end of input): asking again through brs
		// would only ask twice.
		fmt.Fprintf(stderr, "brs: %v\n", asked)
		return 1, true
	}
	if err != nil || resp.Code != "" || resp.Credentials == nil || len(resp.Warnings) != 0 {
		return 0, false
	}
	ac := resp.Credentials
	out, err := JSON(shared.Credentials{AccessKeyID: ac.AccessKeyID, SecretAccessKey: ac.SecretAccessKey,
		SessionToken: ac.SessionToken, Expires: ac.Expires})
	if err != nil {
		return 0, false
	}
	if _, err := safetext.NewWriter(stdout).Write(out); err != nil {
		fmt.Fprintf(stderr, "brs: writing the credentials to stdout: %v\n", err)
		return 1, true
	}
	return 0, true
}
