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
package plugin

import (
	"os"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/brs-go/brs/shared"
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
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  shared.Handshake,
		VersionedPlugins: shared.VersionedPlugins(r),
		GRPCServer:       goplugin.DefaultGRPCServer,
		Logger:           o.logger,
	})
}
