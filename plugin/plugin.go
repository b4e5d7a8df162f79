// Package plugin is the SDK for writing a brs refresher plugin: a program that serves a
// shared.Refresher to the brs host over go-plugin (gRPC). A plugin's main is one call:
//
//	func main() {
//		plugin.Serve(&plugin.ServeOpts{Name: "file", Version: "1.0.0", Refresher: myRefresher{}})
//	}
//
// Build it as brs-plugin-NAME and put it in a plugin directory or on $PATH, or name it
// in a `plugin "NAME" { command = "..." }` block, and roles can use `source = "NAME"`.
//
// A plugin must never write to stdout: go-plugin uses it for the handshake. Log with
// the hclog.Logger from Logger (it writes to stderr, which the host re-logs under the
// plugin's name).
//
// To step through a plugin in a debugger, start it by hand with $BRS_PLUGIN_DEBUG=1
// (or ServeOpts.Debug): it prints a BRS_REATTACH_PLUGINS=... line; a host run with
// that variable attaches to the running plugin instead of starting one.
//
// A plugin dies with its host. Under a brs host, Serve exits when the host's end of its
// stdin closes (the host exited, whatever killed it) or when SIGTERM arrives (the
// parent-death signal the host sets on Linux), and removes its socket first. On Linux
// the process is also made non-dumpable: no core file, and no other process of the
// user can read its memory or /proc/PID/environ, where the base credentials may be.
package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/brs-go/brs/internal/pluginrpc"
	"github.com/brs-go/brs/internal/proc"
	"github.com/brs-go/brs/shared"
)

// SDKVersion is the version of this plugin SDK, the module github.com/brs-go/brs,
// which a plugin reports to the host (protocol 2) and `brs plugins` shows beside the
// plugin's own version. README.md's "Versions and compatibility" says what a release
// may change.
const SDKVersion = "1.4.0"

// The environment a brs host gives its plugins (internal/proc defines them for the
// host; TestHostEnvironment keeps the two in step).
const (
	// envHostPipe is "stdin" when the host alone holds the other end of stdin.
	envHostPipe = "BRS_PLUGIN_HOST_PIPE"
	// envExecFD is the descriptor of the binary the host ran, if it ran one.
	envExecFD = "BRS_PLUGIN_EXEC_FD"
)

// ServeOpts says what a plugin serves and who it is.
type ServeOpts struct {
	// Name is the plugin's name, e.g. "file" for brs-plugin-file. The host shows it
	// (`brs plugins`).
	Name string
	// Version is the plugin's own version, e.g. "1.2.0". Empty means the version of
	// the binary's main module, from its build information.
	Version string
	// Refresher is the source the plugin serves. Required.
	Refresher shared.Refresher
	// Logger is the logger go-plugin uses inside the plugin process. It must write to
	// stderr. Nil means Logger().
	Logger hclog.Logger
	// Debug serves in debug mode (see DebugServe), as $BRS_PLUGIN_DEBUG set to
	// anything does.
	Debug bool
}

// DebugServe serves opts.Refresher in debug mode until ctx is done: started by hand
// (in a debugger, say) rather than by a host, listening for a host to attach. It
// returns once the server listens, with the value of $BRS_REATTACH_PLUGINS that makes
// a host attach to it instead of starting the plugin, and a channel closed when the
// server has stopped. The host looks the plugin up by its source name, which is
// opts.Name.
func DebugServe(ctx context.Context, opts *ServeOpts) (reattach string, closed <-chan struct{}, err error) {
	if opts.Name == "" || opts.Refresher == nil {
		return "", nil, errors.New("plugin.DebugServe: ServeOpts.Name and ServeOpts.Refresher are required")
	}
	o := *opts
	if o.Logger == nil {
		o.Logger = Logger()
	}
	if o.Version == "" {
		o.Version = mainVersion()
	}
	rcCh := make(chan *goplugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	// No host offers versions to negotiate: serve the newest (go-plugin would pick the
	// oldest).
	sets := pluginrpc.VersionedPlugins(o.Refresher, pluginrpc.Info{Name: o.Name, Version: o.Version, SDKVersion: SDKVersion})
	go goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  pluginrpc.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{pluginrpc.ProtocolVersion: sets[pluginrpc.ProtocolVersion]},
		GRPCServer:       goplugin.DefaultGRPCServer,
		Logger:           o.Logger,
		Test:             &goplugin.ServeTestConfig{Context: ctx, ReattachConfigCh: rcCh, CloseCh: closeCh},
	})
	select {
	case rc := <-rcCh:
		b, err := json.Marshal(map[string]pluginrpc.Reattach{o.Name: pluginrpc.NewReattach(rc)})
		if err != nil {
			return "", nil, err
		}
		return string(b), closeCh, nil
	case <-closeCh:
		return "", nil, errors.New("plugin.DebugServe: the server stopped before it listened")
	}
}

// debugServe is Serve in debug mode: it prints how to attach and serves until
// interrupted.
func debugServe(opts *ServeOpts) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	reattach, closed, err := DebugServe(ctx, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("brs plugin %q is running in debug mode. To attach a brs host to it, run the host with:\n\n\t%s='%s'\n\nInterrupt (Ctrl-C) to stop it.\n",
		opts.Name, pluginrpc.EnvReattach, reattach)
	<-closed
}

// mainVersion is the version of the binary's main module, if the build recorded it.
func mainVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.Main.Version
	}
	return ""
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

// Serve serves opts.Refresher to the brs host that started this process and returns
// when the host is done with it. Run by hand, the binary prints that it is a plugin and
// exits 1. It speaks every refresher protocol version a host may ask for, so the
// plugin runs under older hosts as well as newer ones.
func Serve(opts *ServeOpts) {
	o := *opts
	if o.Logger == nil {
		o.Logger = Logger()
	}
	if o.Refresher == nil {
		o.Logger.Error("plugin.Serve: ServeOpts.Refresher is nil: there is nothing to serve")
		os.Exit(1)
	}
	if o.Version == "" {
		o.Version = mainVersion()
	}
	if o.Debug || os.Getenv(pluginrpc.EnvDebug) != "" {
		debugServe(&o)
		return
	}
	if err := disableDumping(); err != nil {
		o.Logger.Warn("could not make the plugin process non-dumpable", "error", err)
	}
	if fd, err := strconv.Atoi(os.Getenv(envExecFD)); err == nil && fd > 2 {
		closeOnExec(fd) // the binary the host ran: not for the processes this one runs
	}
	if os.Getenv(goplugin.EnvUnixSocketDir) != "" && os.Getenv(envHostPipe) == "stdin" {
		watchHost()
	}
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  pluginrpc.Handshake,
		VersionedPlugins: pluginrpc.VersionedPlugins(o.Refresher, pluginrpc.Info{Name: o.Name, Version: o.Version, SDKVersion: SDKVersion}),
		GRPCServer:       goplugin.DefaultGRPCServer,
		Logger:           o.Logger,
	})
	proc.KillAll()
}

// watchHost ends the process when the host is gone: its end of stdin closed, or the
// parent-death signal (SIGTERM) arrived. The host cannot remove the plugin's socket
// then, so the plugin does. Nothing is logged on the way out: stderr leads to the dead
// host, and a write there would end the process (SIGPIPE) before it has cleaned up.
// For the same reason SIGPIPE is caught, so that another goroutine's log line cannot
// end it first either.
func watchHost() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	askForSIGTERM()
	var once sync.Once
	exit := func() {
		once.Do(func() {
			proc.KillAll() // the commands the source is running, and what they started
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
