// Package plugin is the SDK for writing a brs refresher plugin: a program that serves a
// shared.Refresher to the brs host over go-plugin (gRPC). A plugin's main is one line:
//
//	func main() { plugin.Serve(myRefresher{}) }
//
// Build it as brs-plugin-NAME and put it in a plugin directory or on $PATH, or name it
// in a `plugin "NAME" { command = "..." }` block, and roles can use `source = "NAME"`.
//
// A plugin must never write to stdout: go-plugin uses it for the handshake. Log with
// the hclog.Logger from Logger (it writes to stderr, which the host re-logs under the
// plugin's name).
//
// A plugin dies with its host. Under a brs host, Serve exits when the host's end of its
// stdin closes (the host exited, whatever killed it) or when SIGTERM arrives (the
// parent-death signal the host sets on Linux), and removes its socket first. On Linux
// the process is also made non-dumpable: no core file, and no other process of the
// user can read its memory or /proc/PID/environ, where the base credentials may be.
package plugin

import (
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/brs-go/brs/shared"
)

// The environment a brs host gives its plugins (internal/proc defines them for the
// host; the SDK depends on no internal package).
const (
	// envHostPipe is "stdin" when the host alone holds the other end of stdin.
	envHostPipe = "BRS_PLUGIN_HOST_PIPE"
	// envExecFD is the descriptor of the binary the host ran, if it ran one.
	envExecFD = "BRS_PLUGIN_EXEC_FD"
)

// ServeOption configures Serve.
type ServeOption func(*serveOptions)

type serveOptions struct {
	logger hclog.Logger
}

// WithLogger sets the logger go-plugin uses inside the plugin process. It must write to
// stderr. The default is Logger().
func WithLogger(l hclog.Logger) ServeOption {
	return func(o *serveOptions) { o.logger = l }
}

// stderr is the process's stderr as it was at start. Serve replaces os.Stderr with a
// pipe that go-plugin streams to the host as raw text; log lines must go to the real
// stderr, where the host parses them as structured log entries.
var stderr = os.Stderr

// Logger returns a logger for plugin code: JSON lines on the process's original stderr,
// which the host parses and re-logs under the plugin's name at the same level. Anything
// else written to os.Stderr after Serve starts reaches the host's log as plain lines.
func Logger() hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Level:      hclog.Trace,
		Output:     stderr,
		JSONFormat: true,
	})
}

// Serve serves r to the brs host that started this process and returns when the host
// is done with it. Run by hand, the binary prints that it is a plugin and exits 1.
func Serve(r shared.Refresher, opts ...ServeOption) {
	o := serveOptions{}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = Logger()
	}
	if err := disableDumping(); err != nil {
		o.logger.Warn("could not make the plugin process non-dumpable", "error", err)
	}
	if fd, err := strconv.Atoi(os.Getenv(envExecFD)); err == nil && fd > 2 {
		closeOnExec(fd) // the binary the host ran: not for the processes this one runs
	}
	if os.Getenv(goplugin.EnvUnixSocketDir) != "" && os.Getenv(envHostPipe) == "stdin" {
		watchHost()
	}
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  shared.Handshake,
		VersionedPlugins: shared.VersionedPlugins(r),
		GRPCServer:       goplugin.DefaultGRPCServer,
		Logger:           o.logger,
	})
}

// watchHost ends the process when the host is gone: its end of stdin closed, or the
// parent-death signal (SIGTERM) arrived. The host cannot remove the plugin's socket
// then, so the plugin does. Nothing is logged on the way out: stderr leads to the dead
// host, and a write there would end the process (SIGPIPE) before it has cleaned up.
// For the same reason SIGPIPE is caught, so that another goroutine's log line cannot
// end it first either.
func watchHost() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	var once sync.Once
	exit := func() {
		once.Do(func() {
			removeSocketDir(os.Getenv(goplugin.EnvUnixSocketDir))
			os.Exit(0)
		})
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		exit()
	}()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		exit()
	}()
}

// removeSocketDir removes the unix sockets go-plugin created in the private directory
// the host made for this process, then the directory if it is left empty. Nothing
// else is touched, whatever the directory holds.
func removeSocketDir(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type()&os.ModeSocket != 0 && strings.HasPrefix(e.Name(), "plugin") {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	_ = os.Remove(dir) // fails, harmlessly, if anything else is in it
}
