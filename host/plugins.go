package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/brs-go/brs/internal/pluginrpc"
	"github.com/brs-go/brs/shared"
)

// pluginProc is one refresher: a plugin subprocess (started on first need, replaced
// after a crash or a hang) or an in-process Refresher. Roles that use the same source
// share it.
type pluginProc struct {
	name         string
	path         string // "" for in-process refreshers
	args         []string
	env          []string            // added to the plugin's environment
	environ      []string            // the host's environment, the base of the plugin's
	getenv       func(string) string // reads environ
	environment  []string            // the variables the source declares it reads (Schema)
	schema       shared.Schema       // the source's schema, from its last load
	discovered   bool                // path was found by searching (discover)
	checksum     []byte
	logger       hclog.Logger // the plugin's stderr, gated by logGate
	logGate      *gate
	startTimeout time.Duration

	mu     sync.Mutex
	client *goplugin.Client
	proc   *process // client's process
	impl   shared.Refresher
	starts int
	closed bool
	inProc bool
	info   pluginrpc.Info // what the current (or last) process said about itself
	// attached is the plugin in debug mode that client is attached to
	// ($BRS_REATTACH_PLUGINS), nil when client runs a process of its own; reattached
	// stays true once the host has attached to one.
	attached   *pluginrpc.Attachment
	reattached bool
}

func inProcess(name string, r shared.Refresher) *pluginProc {
	return &pluginProc{name: name, impl: r, inProc: true, info: pluginrpc.Info{Protocol: pluginrpc.ProtocolVersion}}
}

// describe names the plugin in errors: its name and, for a subprocess, its binary.
func (p *pluginProc) describe() string {
	if p.inProc {
		return fmt.Sprintf("source %q (in-process)", p.name)
	}
	return fmt.Sprintf("plugin %q (%s)", p.name, p.path)
}

// get returns a live refresher, starting a new process when there is none or the last
// one exited.
func (p *pluginProc) get() (shared.Refresher, *goplugin.Client, error) {
	if p.inProc {
		return p.impl, nil, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, nil, fmt.Errorf("%s: the host is closed", p.describe())
	}
	if p.client != nil && !p.client.Exited() {
		return p.impl, p.client, nil
	}
	if p.client != nil {
		p.logger.Warn("plugin process exited; starting a new one", "plugin", p.name)
		p.stopLocked()
	}
	if err := p.startLocked(); err != nil {
		return nil, nil, err
	}
	return p.impl, p.client, nil
}

func (p *pluginProc) startLocked() error {
	if r, err := p.reattachConfig(); err != nil || r != nil {
		if err != nil {
			return &reattachError{fmt.Sprintf("%s: %v", p.describe(), err)}
		}
		return p.attachLocked(r)
	}
	bin, err := p.openBinary()
	if err != nil {
		return p.startError(err, nil)
	}
	defer bin.close()
	if binaryOpened != nil {
		binaryOpened(p.path)
	}
	var proc *process
	cfg := &goplugin.ClientConfig{
		HandshakeConfig:  pluginrpc.Handshake,
		VersionedPlugins: pluginrpc.VersionedPlugins(nil, pluginrpc.Info{}),
		RunnerFunc:       runnerFunc(bin, p.args, p.environ, p.env, &proc),
		// The plugin's environment is the host's (newProcess), not this process's.
		SkipHostEnv:      true,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		GRPCDialOptions:  pluginrpc.GRPCDialOptions(), // answers over shared.MaxMessageSize are refused
		StartTimeout:     p.startTimeout,
		Logger:           newPluginLogger(newLongLineFilter(p.logger.Named(p.name)), p.path),
		// go-plugin splits log lines longer than this; the filter drops their pieces.
		PluginLogBufferSize: pluginLogBufferSize,
		Stderr:              io.Discard,
		// What the plugin writes to os.Stderr after plugin.Serve starts arrives here.
		SyncStderr: &lineLogger{log: p.logger.Named(p.name).Named("stderr")},
		SyncStdout: &lineLogger{log: p.logger.Named(p.name).Named("stdout")},
	}
	return p.connectLocked(cfg, &proc)
}

// connectLocked starts (or, with cfg.Reattach, attaches to) the plugin process and
// asks it who it is. proc points at the process once runnerFunc has started one.
func (p *pluginProc) connectLocked(cfg *goplugin.ClientConfig, procp **process) error {
	var proc *process
	c := goplugin.NewClient(cfg)
	rpc, err := c.Client()
	if procp != nil {
		proc = *procp
	}
	if err != nil {
		c.Kill()
		return p.startError(err, proc)
	}
	raw, err := rpc.Dispense(pluginrpc.PluginName)
	if err != nil {
		c.Kill()
		return fmt.Errorf("%s: the plugin does not serve a brs refresher: %v", p.describe(), err)
	}
	impl, ok := raw.(*pluginrpc.Client)
	if !ok {
		c.Kill()
		return fmt.Errorf("%s: the plugin does not serve a brs refresher", p.describe())
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.startTimeout)
	info, err := impl.Info(ctx)
	cancel()
	if err != nil {
		c.Kill()
		return fmt.Errorf("%s: the plugin did not say who it is: %v", p.describe(), err)
	}
	p.client, p.proc, p.impl, p.info = c, proc, impl, info
	p.starts++
	p.logger.Debug("plugin started", "plugin", p.name, "path", p.path, "pid", p.pidLocked(),
		"protocol", info.Protocol, "plugin_name", info.Name, "plugin_version", info.Version, "reattached", cfg.Reattach != nil)
	return nil
}

// attachLocked attaches to the plugin in debug mode that r describes, once it is
// shown to run as this user, and says so at warn level: the process was started by
// hand, no sha256 pin applies to it, and it sees the roles' secrets.
func (p *pluginProc) attachLocked(r *pluginrpc.Reattach) error {
	ctx, cancel := context.WithTimeout(context.Background(), p.startTimeout)
	att, err := r.Attach(ctx)
	cancel()
	if err != nil {
		return &reattachError{fmt.Sprintf("%s: $%s: %v", p.describe(), pluginrpc.EnvReattach, err)}
	}
	err = p.connectLocked(&goplugin.ClientConfig{
		HandshakeConfig: pluginrpc.Handshake,
		// go-plugin negotiates no version when it attaches: the plugin said its own.
		Plugins:          pluginrpc.VersionedPlugins(nil, pluginrpc.Info{})[att.Config.ProtocolVersion],
		Reattach:         att.Config,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		// The attachment's dialer checks the peer of every connection.
		GRPCDialOptions: append(pluginrpc.GRPCDialOptions(), att.DialOption()),
		StartTimeout:    p.startTimeout,
		Logger:          p.logger.Named(p.name),
	}, nil)
	if err != nil {
		att.Release()
		return err
	}
	p.attached, p.reattached = att, true
	p.logger.Warn(fmt.Sprintf("REATTACHED: source %q is served by a process started by hand ($%s), not by a binary brs started; no sha256 pin applies to it", p.name, pluginrpc.EnvReattach),
		"plugin", p.name, "pid", att.PID)
	return nil
}

// reattachError is a plugin named in $BRS_REATTACH_PLUGINS that the host will not
// attach to; trying again does not help.
type reattachError struct{ msg string }

func (e *reattachError) Error() string { return e.msg }

// stopLocked lets go of the current client: it kills a process the host started, and
// only disconnects from one it attached to.
func (p *pluginProc) stopLocked() {
	if p.attached != nil {
		if rpc, err := p.client.Client(); err == nil {
			if gc, ok := rpc.(*goplugin.GRPCClient); ok {
				_ = gc.Conn.Close() // not Close: that asks the plugin to shut down
			}
		}
		p.attached.Release()
		p.client, p.proc, p.impl, p.attached = nil, nil, nil, nil
		return
	}
	// Kill the process group first: go-plugin's own Kill asks a hung plugin to shut
	// down and waits two seconds for it before it kills.
	if p.proc != nil {
		_ = p.proc.Kill(context.Background())
	}
	p.client.Kill()
	p.client, p.proc, p.impl = nil, nil, nil
}

// attachedTo returns the plugin in debug mode that client is attached to, or nil.
func (p *pluginProc) attachedTo(client *goplugin.Client) *pluginrpc.Attachment {
	p.mu.Lock()
	defer p.mu.Unlock()
	if client == nil || p.client != client {
		return nil
	}
	return p.attached
}

// reattachConfig returns where the plugin runs in debug mode, if $BRS_REATTACH_PLUGINS
// in the host's environment names it, else nil.
func (p *pluginProc) reattachConfig() (*pluginrpc.Reattach, error) {
	env := p.getenv(pluginrpc.EnvReattach)
	if env == "" {
		return nil, nil
	}
	m, err := pluginrpc.ParseReattach(env)
	if err != nil {
		return nil, err
	}
	r, ok := m[p.name]
	if !ok {
		return nil, nil
	}
	return &r, nil
}

// startError explains why a plugin did not start, and what to do about it. proc is
// the process, if one was started.
func (p *pluginProc) startError(err error, proc *process) error {
	var ce *checksumError
	var ue *unsafeBinaryError
	var re *reattachError
	switch {
	case errors.As(err, &ce), errors.As(err, &ue), errors.As(err, &re):
		return err
	case strings.Contains(err.Error(), "timeout while waiting for plugin to start"):
		return fmt.Errorf("%s: no handshake within %v; check that it is a brs refresher plugin (it must call plugin.Serve and write nothing to stdout)", p.describe(), p.startTimeout)
	case strings.Contains(err.Error(), "Incompatible API version"):
		return fmt.Errorf("%s: it speaks no refresher protocol version this host speaks (%d to %d): %v; rebuild the plugin against this version of brs", p.describe(), pluginrpc.Protocol1, pluginrpc.ProtocolVersion, err)
	case strings.Contains(err.Error(), "Unrecognized remote plugin message"):
		first := proc.stdoutStart()
		if strings.TrimSpace(first) == "" {
			return fmt.Errorf("%s: the process exited at start without a handshake; run it by hand to see what it reports, and check the log for its stderr", p.describe())
		}
		if len(first) > 60 {
			first = first[:60] + "…"
		}
		return fmt.Errorf("%s: it wrote %q to stdout instead of the go-plugin handshake; a brs plugin must call plugin.Serve and write nothing to stdout", p.describe(), first)
	case strings.Contains(err.Error(), "plugin exited before we could connect"):
		return fmt.Errorf("%s: the process exited at start; run it by hand to see what it reports, and check the log for its stderr", p.describe())
	case errors.Is(err, os.ErrNotExist), errors.Is(err, os.ErrPermission), errors.Is(err, exec.ErrNotFound):
		return fmt.Errorf("%s: cannot run the binary: %v", p.describe(), err)
	}
	return fmt.Errorf("%s: failed to start: %v; check that it is a brs refresher plugin that writes nothing to stdout", p.describe(), err)
}

// lineLogger logs each line written to it at debug level, but for the errors of a brs
// that the plugin ran (through an AWS profile's credential_process), which are the
// reason why the plugin fails: those are warnings.
type lineLogger struct {
	log     hclog.Logger
	mu      sync.Mutex
	buf     []byte
	dropped int // bytes of a runaway line dropped so far, 0 when none
}

// maxLogLine is the longest line of a plugin's raw output that is logged. A longer
// one is dropped, never logged in pieces: the redactor recognises a secret only whole,
// and a piece could end inside one.
const maxLogLine = 64 << 10

func (l *lineLogger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if l.dropped > 0 || len(l.buf)+len(chunk) > maxLogLine {
			l.dropped += len(l.buf) + len(chunk)
			l.buf = l.buf[:0]
		} else {
			l.buf = append(l.buf, chunk...)
		}
		if i < 0 {
			break
		}
		switch line := string(l.buf); {
		case l.dropped > 0:
			l.log.Debug(fmt.Sprintf("[a line of %d bytes was dropped: longer than %d KiB]", l.dropped, maxLogLine>>10))
		case strings.HasPrefix(line, "brs: "):
			l.log.Warn(line)
		default:
			l.log.Debug(line)
		}
		l.buf, l.dropped = l.buf[:0], 0
		p = p[i+1:]
	}
	return n, nil
}

// checksumError is a plugin binary that does not match its pinned sha256.
type checksumError struct{ msg string }

func (e *checksumError) Error() string { return e.msg }

// call runs fn on a live refresher. A plugin that dies under a call, or while a new
// process starts, is given one more process (a crash must not surface as an error
// while a fresh process can answer); a call that runs past its deadline kills the
// process, so the next call starts a fresh one instead of queueing behind a hung
// plugin.
func (p *pluginProc) call(ctx context.Context, what string, fn func(shared.Refresher) error) error {
	if p.logGate != nil {
		p.logGate.hold()
		defer p.logGate.release()
	}
	const attempts = 3
	for attempt := 1; ; attempt++ {
		impl, client, err := p.get()
		if err != nil {
			var ce *checksumError
			var ue *unsafeBinaryError
			var re *reattachError
			if attempt < attempts && !errors.As(err, &ce) && !errors.As(err, &ue) && !errors.As(err, &re) && ctx.Err() == nil {
				p.logger.Warn("plugin failed to start; trying once more", "plugin", p.name, "error", err)
				continue
			}
			return shared.Retryable("PluginUnavailable", "%v", err)
		}
		err = fn(impl)
		var se *shared.Error
		if err == nil || p.inProc || errors.As(err, &se) {
			return err // the source itself answered
		}
		if deadlinePassed(ctx) {
			if att := p.attachedTo(client); att != nil {
				// A plugin started by hand may be stopped at a breakpoint: keep it
				// attached and ask it again next time, instead of attaching anew
				// (and waiting on its handshake) on every refresh.
				return shared.Retryable("PluginTimeout", "%s: %s did not answer in time; the plugin was started by hand ($%s, pid %d), perhaps stopped in a debugger, and stays attached: the next refresh asks it again",
					p.describe(), what, pluginrpc.EnvReattach, att.PID)
			}
			p.kill(client)
			return shared.Retryable("PluginTimeout", "%s: %s did not answer in time; the process was killed and a new one will start on the next refresh", p.describe(), what)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.kill(client)
		if attempt < attempts {
			p.logger.Warn("plugin call failed; retrying on a new process", "plugin", p.name, "call", what, "error", err)
			continue
		}
		return shared.Retryable("PluginCrashed", "%s: %s failed on %d processes in a row: %v", p.describe(), what, attempts, err)
	}
}

// deadlinePassed reports whether ctx's deadline has passed. It is true as soon as the
// time has come, before ctx's own timer has fired: the plugin's gRPC server keeps the
// same deadline and may end the call first when the host is busy, and that call
// timed out as surely as one the host ended itself.
func deadlinePassed(ctx context.Context) bool {
	if ctx.Err() == context.DeadlineExceeded {
		return true
	}
	dl, ok := ctx.Deadline()
	return ok && !time.Now().Before(dl)
}

// kill stops client if it is still the current process.
func (p *pluginProc) kill(client *goplugin.Client) {
	if client == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != client {
		return
	}
	p.stopLocked()
}

func (p *pluginProc) pidLocked() int {
	if p.proc == nil {
		return 0
	}
	return p.proc.PID()
}

// PID returns the process ID of the plugin's current process, or 0 if none runs.
func (p *pluginProc) PID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client == nil || p.client.Exited() {
		return 0
	}
	if p.attached != nil {
		return p.attached.PID
	}
	return p.pidLocked()
}

// close asks the plugin process to exit (go-plugin's graceful shutdown, which kills it
// after two seconds if it does not) and waits until it has. It returns an error when
// the process did not exit cleanly: it had to be killed, or exited with a failure.
func (p *pluginProc) close() error {
	if p.inProc {
		return nil
	}
	p.mu.Lock()
	if p.attached != nil {
		p.stopLocked() // the plugin was started by hand: it keeps running
	}
	c, proc := p.client, p.proc
	p.client, p.proc, p.impl = nil, nil, nil
	p.closed = true
	p.mu.Unlock()
	if c == nil {
		return nil
	}
	if proc == nil {
		c.Kill()
		return nil
	}
	pid := proc.PID()
	c.Kill()
	return proc.exitError(p.describe(), pid)
}

// discover finds a plugin binary called file (brs-plugin-NAME, or a plugin block's
// command given as a bare name) in dirs, then $BRS_PLUGIN_DIR, the running executable's
// directory, $PATH, and last where `go install` puts binaries ($GOBIN, else the bin
// directory of $GOPATH's first entry, else ~/go/bin): a program started with `go run`
// runs from a temporary directory, and its plugins are where `go install` put them.
// The variables are the host's, which getenv reads. It returns the path, or the list
// of places searched.
func discover(file string, dirs []string, getenv func(string) string) (string, []string) {
	var searched []string
	before, after := searchDirs(dirs, getenv)
	found := func(d string) (string, bool) {
		p := filepath.Join(d, file)
		searched = append(searched, d)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, true
		}
		return "", false
	}
	for _, d := range before {
		if p, ok := found(d); ok {
			return p, nil
		}
	}
	if p := lookPath(file, getenv); p != "" {
		return p, nil
	}
	searched = append(searched, "$PATH")
	for _, d := range after {
		if p, ok := found(d); ok {
			return p, nil
		}
	}
	return "", searched
}

// searchDirs returns the directories that discover searches before $PATH, and after.
func searchDirs(dirs []string, getenv func(string) string) (before, after []string) {
	before = append([]string(nil), dirs...)
	if env := getenv("BRS_PLUGIN_DIR"); env != "" {
		before = append(before, filepath.SplitList(env)...)
	}
	if exe, err := os.Executable(); err == nil {
		before = append(before, filepath.Dir(exe))
	}
	if d := goBinDir(getenv); d != "" && !slices.Contains(before, d) {
		after = append(after, d)
	}
	return before, after
}

// goBinDir returns the directory `go install` writes binaries to, as the go command
// computes it without a go env file: $GOBIN, else bin in the first entry of $GOPATH,
// else ~/go/bin (go/build's default GOPATH). It does not run go, which may not be
// installed where the plugins run. "" when none can be told.
func goBinDir(getenv func(string) string) string {
	if d := getenv("GOBIN"); filepath.IsAbs(d) {
		return d
	}
	if gp := getenv("GOPATH"); gp != "" {
		if first := filepath.SplitList(gp)[0]; filepath.IsAbs(first) {
			return filepath.Join(first, "bin")
		}
		return ""
	}
	home := homeDir(getenv)
	if !filepath.IsAbs(home) {
		return ""
	}
	return filepath.Join(home, "go", "bin")
}

// availableSources returns the names of the sources whose brs-plugin-NAME binaries
// discover would find, for "did you mean" suggestions.
func availableSources(dirs []string, getenv func(string) string) []string {
	before, after := searchDirs(dirs, getenv)
	all := append(before, filepath.SplitList(getenv("PATH"))...)
	var names []string
	for _, d := range append(all, after...) {
		if d == "" {
			continue
		}
		matches, _ := filepath.Glob(filepath.Join(d, "brs-plugin-*"))
		for _, m := range matches {
			name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), "brs-plugin-"), ".exe")
			if name != "" && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	return names
}
