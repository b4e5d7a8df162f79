package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/pluginrpc"
)

// Exit statuses.
const (
	// exitOK: the command did what was asked.
	exitOK = 0
	// exitError: the command failed (an invalid config file, no credentials).
	exitError = 1
	// exitUsage: brs was called wrongly (unknown command or flag, no config file).
	exitUsage = 2
)

// version is the release version, set at build time with
// -ldflags "-X main.version=v1.2.3"; without it the module version is printed.
var version = ""

// cli is one run of brs: its output streams, its environment and the global flags.
type cli struct {
	// stdin is what `brs exec` gives its command; nil means the null device.
	stdin  io.Reader
	stdout io.Writer
	// stderr is shared by the logger (whose plugin output arrives from other
	// goroutines) and by messages, so writes to it are serialised.
	stderr io.Writer
	// color is true when diagnostics may use terminal colours.
	color bool
	// lookupEnv reads the environment (os.LookupEnv outside tests).
	lookupEnv func(string) (string, bool)
	// environ is the environment that `brs exec` starts from (os.Environ).
	environ func() []string
	// now is the time (time.Now outside tests).
	now func() time.Time

	// Global flags.
	configFile string
	pluginDirs stringList
	logLevel   string
	noAgent    bool

	logger hclog.Logger
	// agentNoted is set once the command has said why it runs without the agent.
	agentNoted atomic.Bool
}

// run runs brs with args (without the program name) and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := newCLI(stdout, stderr, os.LookupEnv)
	c.stdin = os.Stdin
	return c.run(ctx, args)
}

func newCLI(stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) *cli {
	noColor, _ := lookupEnv("NO_COLOR")
	return &cli{
		stdout:    stdout,
		stderr:    &lockedWriter{w: stderr},
		color:     noColor == "" && isTerminal(stderr),
		lookupEnv: lookupEnv,
		environ:   os.Environ,
		now:       time.Now,
		logLevel:  "warn",
	}
}

// run parses the global flags and runs the command named in args.
func (c *cli) run(ctx context.Context, args []string) int {
	fs := c.flagSet("brs")
	showVersion := fs.Bool("version", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeHelp(c.stdout)
			return exitOK
		}
		return c.usageError("%v", err)
	}
	if *showVersion {
		fmt.Fprintln(c.stdout, versionString())
		return exitOK
	}
	rest := fs.Args()
	if len(rest) == 0 {
		writeHelp(c.stderr)
		return exitUsage
	}
	if rest[0] == completeCommand {
		return c.runComplete(rest[1:])
	}
	cmd := lookupCommand(rest[0])
	if cmd == nil {
		return c.usageError("unknown command %q", rest[0])
	}
	return c.runCommand(ctx, cmd, rest[1:])
}

// runCommand parses a command's flags (its own and the global ones, which may also
// follow the command name), checks its arguments and runs it.
func (c *cli) runCommand(ctx context.Context, cmd *command, args []string) int {
	fs := c.flagSet("brs " + cmd.name)
	runFn := cmd.setup(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeCommandHelp(c.stdout, cmd)
			return exitOK
		}
		return c.commandUsageError(cmd, "%v", err)
	}
	rest := fs.Args()
	switch {
	case len(rest) < cmd.minArgs:
		return c.commandUsageError(cmd, "%s needs %s", cmd.name, cmd.args)
	case cmd.maxArgs >= 0 && len(rest) > cmd.maxArgs:
		return c.commandUsageError(cmd, "%s: unexpected argument %q", cmd.name, rest[cmd.maxArgs])
	}
	level, ok := logLevels[strings.ToLower(c.logLevel)]
	if !ok {
		return c.usageError("invalid --log-level %q: use one of off, error, warn, info, debug, trace", c.logLevel)
	}
	c.logger = hclog.New(&hclog.LoggerOptions{Name: "brs", Level: level, Output: c.stderr})
	return runFn(ctx, c, rest)
}

// logLevels are the values of --log-level.
var logLevels = map[string]hclog.Level{
	"off": hclog.Off, "error": hclog.Error, "warn": hclog.Warn,
	"info": hclog.Info, "debug": hclog.Debug, "trace": hclog.Trace,
}

// flagSet returns a flag set with the global flags. It prints nothing itself: brs
// reports flag errors and help on its own.
func (c *cli) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.configFile, "c", c.configFile, "config file")
	fs.Var(&c.pluginDirs, "plugin-dir", "directory searched for plugins (repeatable)")
	fs.StringVar(&c.logLevel, "log-level", c.logLevel, "log level")
	fs.BoolVar(&c.noAgent, "no-agent", c.noAgent, "run in-process, without the agent")
	return fs
}

// usageError reports a wrong call of brs and returns exitUsage.
func (c *cli) usageError(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "brs: %s\n\n", fmt.Sprintf(format, args...))
	writeShortUsage(c.stderr)
	return exitUsage
}

// commandUsageError reports a wrong call of cmd and returns exitUsage.
func (c *cli) commandUsageError(cmd *command, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "brs: %s\n\nUsage: %s\nRun \"brs help %s\" for more.\n", fmt.Sprintf(format, args...), cmd.usage(), cmd.name)
	return exitUsage
}

// errorf reports a failure on stderr, prefixed with "brs: " unless the message already
// names brs, and returns exitError.
func (c *cli) errorf(format string, args ...any) int {
	fmt.Fprintln(c.stderr, termSafeLines(brsMessage(fmt.Sprintf(format, args...))))
	return exitError
}

// brsMessage returns msg prefixed with "brs: " once: the host's errors start with
// "brs: " too, and a command that adds what it was doing ("serve: ") must not repeat
// the prefix inside the line.
func brsMessage(msg string) string {
	msg = strings.ReplaceAll(msg, ": brs: ", ": ")
	if !strings.HasPrefix(msg, "brs: ") {
		msg = "brs: " + msg
	}
	return msg
}

// load finds the config file and loads it, with more options if given. On failure it
// reports the problem and returns a nil host and the exit status.
func (c *cli) load(ctx context.Context, more ...host.Option) (*host.Host, string, int) {
	path, err := c.configPath()
	if err != nil {
		fmt.Fprintf(c.stderr, "brs: %v\n", err)
		return nil, "", exitUsage
	}
	opts := append([]host.Option{host.WithLogger(c.logger)}, more...)
	for _, d := range c.pluginDirs {
		opts = append(opts, host.WithPluginDir(d))
	}
	h, err := host.Load(ctx, path, opts...)
	if err != nil {
		var le *host.LoadError
		if errors.Is(err, host.ErrUnknownRole) { // WithOnly: it names the file and lists the roles
			return nil, path, c.errorf("%v", err)
		}
		if !errors.As(err, &le) {
			return nil, path, c.errorf("%s: %v", path, err)
		}
		if werr := le.WriteText(c.stderr, c.color); werr != nil {
			// The snippets could not be written; the one-line summaries still are.
			c.logger.Debug("writing diagnostics", "error", werr)
		}
		writeSummary(c.stderr, le.Diagnostics)
		return nil, path, exitError
	}
	return h, path, exitOK
}

// versionString describes this build of brs.
func versionString() string {
	v := version
	if v == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			v = bi.Main.Version
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return fmt.Sprintf("brs %s (refresher protocol %d, %s)", v, pluginrpc.ProtocolVersion, runtime.Version())
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ", ") }

func (s *stringList) Set(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	*s = append(*s, v)
	return nil
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
