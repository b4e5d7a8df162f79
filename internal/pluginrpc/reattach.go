package pluginrpc

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"sync"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/runner"
	"google.golang.org/grpc"
)

// EnvReattach names the environment variable that tells a host to attach to plugins
// already running in debug mode instead of starting them: a JSON object from source
// name to Reattach, as a plugin in debug mode prints it (like Terraform's
// TF_REATTACH_PROVIDERS).
const EnvReattach = "BRS_REATTACH_PLUGINS"

// EnvDebug names the environment variable that, set to a non-empty value, makes
// plugin.Serve serve in debug mode.
const EnvDebug = "BRS_PLUGIN_DEBUG"

// Reattach says where a plugin in debug mode listens.
type Reattach struct {
	Protocol        string
	ProtocolVersion int
	Pid             int
	Test            bool
	Addr            ReattachAddr
}

// ReattachAddr is a listener's address.
type ReattachAddr struct {
	Network string
	String  string
}

// NewReattach describes go-plugin's reattach config as JSON can carry it.
func NewReattach(rc *goplugin.ReattachConfig) Reattach {
	return Reattach{
		Protocol: string(rc.Protocol), ProtocolVersion: rc.ProtocolVersion, Pid: rc.Pid, Test: rc.Test,
		Addr: ReattachAddr{Network: rc.Addr.Network(), String: rc.Addr.String()},
	}
}

// ParseReattach parses the value of EnvReattach.
func ParseReattach(s string) (map[string]Reattach, error) {
	var m map[string]Reattach
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("$%s is not a JSON object of plugin name to reattach config, as a plugin in debug mode prints it: %v", EnvReattach, err)
	}
	return m, nil
}

// Attach checks that the plugin r names runs as the current user and listens where
// only it could, and returns how go-plugin attaches to it. A unix socket must be owned
// by the user, and the process that accepts the connection (SO_PEERCRED on Linux,
// LOCAL_PEERCRED on macOS) must run as the user; the check is made on every
// connection the host uses, before it sends anything. A TCP address, which cannot be
// tied to a user, is refused, but on Windows, where a plugin in debug mode listens on
// loopback TCP: there only a loopback address is accepted.
func (r Reattach) Attach(ctx context.Context) (*Attachment, error) {
	if r.Pid <= 0 {
		return nil, fmt.Errorf("reattach config without a pid")
	}
	if r.ProtocolVersion < Protocol1 || r.ProtocolVersion > ProtocolVersion {
		return nil, fmt.Errorf("the plugin speaks refresher protocol %d; this host speaks %d to %d", r.ProtocolVersion, Protocol1, ProtocolVersion)
	}
	var addr net.Addr
	switch r.Addr.Network {
	case "unix":
		ua, err := net.ResolveUnixAddr("unix", r.Addr.String)
		if err != nil {
			return nil, fmt.Errorf("reattach address: %v", err)
		}
		addr = ua
	case "tcp":
		ta, err := net.ResolveTCPAddr("tcp", r.Addr.String)
		if err != nil {
			return nil, fmt.Errorf("reattach address: %v", err)
		}
		if !ta.IP.IsLoopback() {
			return nil, fmt.Errorf("reattach address %s is not a loopback address: brs attaches only to a plugin on this machine", r.Addr.String)
		}
		if runtime.GOOS != "windows" {
			return nil, fmt.Errorf("reattach address %s is TCP, whose peer brs cannot tie to a user; a plugin in debug mode on %s listens on a unix socket", r.Addr.String, runtime.GOOS)
		}
		addr = ta
	default:
		return nil, fmt.Errorf("reattach address: unknown network %q", r.Addr.Network)
	}
	a := &Attachment{addr: addr, released: make(chan struct{})}
	conn, pid, err := a.dial(ctx)
	if err != nil {
		return nil, err
	}
	_ = conn.Close()
	a.PID = pid
	if a.PID == 0 {
		a.PID = r.Pid // TCP on Windows: the pid the plugin printed
	}
	a.Config = &goplugin.ReattachConfig{
		Protocol: goplugin.Protocol(r.Protocol), ProtocolVersion: r.ProtocolVersion, Addr: addr, Pid: a.PID,
		// Test: the host never stops a process it attached to (it is the user's, in a
		// debugger perhaps); go-plugin then takes the protocol version as given.
		Test:         true,
		ReattachFunc: func() (runner.AttachedRunner, error) { return attachedRunner{a}, nil },
	}
	return a, nil
}

// Attachment is a plugin in debug mode that a host may attach to.
type Attachment struct {
	// Config is go-plugin's reattach config.
	Config *goplugin.ReattachConfig
	// PID is the plugin's process, as the kernel reported it when the host connected
	// (the pid the plugin printed where the kernel cannot say).
	PID int

	addr     net.Addr
	once     sync.Once
	released chan struct{}
}

// DialOption makes the gRPC connection to the plugin with the same checks as Attach,
// in place of go-plugin's own dialer.
func (a *Attachment) DialOption() grpc.DialOption {
	return grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
		conn, _, err := a.dial(ctx)
		return conn, err
	})
}

// Release tells go-plugin the host is done with the plugin: its client reports the
// plugin exited. The plugin itself keeps running.
func (a *Attachment) Release() { a.once.Do(func() { close(a.released) }) }

// dial connects to the plugin and checks who answers. Nothing is written before the
// check passes.
// It returns the peer's pid where the kernel tells it, else 0.
func (a *Attachment) dial(ctx context.Context) (net.Conn, int, error) {
	var d net.Dialer
	if a.addr.Network() != "unix" {
		conn, err := d.DialContext(ctx, a.addr.Network(), a.addr.String())
		return conn, 0, err
	}
	path := a.addr.String()
	uid := currentUID()
	owner, err := socketOwner(path)
	if err != nil {
		return nil, 0, fmt.Errorf("reattach socket: %v", err)
	}
	if owner != uid {
		return nil, 0, fmt.Errorf("refused: reattach socket %s belongs to uid %d, not to this user (uid %d)", path, owner, uid)
	}
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, 0, fmt.Errorf("reattach socket: %v", err)
	}
	peerUID, pid, err := peerOf(conn.(*net.UnixConn))
	if err != nil {
		_ = conn.Close()
		return nil, 0, fmt.Errorf("refused: reattach socket %s: %v", path, err)
	}
	if peerUID != uid {
		_ = conn.Close()
		return nil, 0, fmt.Errorf("refused: the process listening on reattach socket %s (pid %d) runs as uid %d, not as this user (uid %d)", path, pid, peerUID, uid)
	}
	return conn, pid, nil
}

// attachedRunner is go-plugin's handle on an attached plugin: it never stops the
// process, and the client counts the plugin as exited once the host releases it.
type attachedRunner struct{ a *Attachment }

func (r attachedRunner) Wait(ctx context.Context) error {
	select {
	case <-r.a.released:
	case <-ctx.Done():
	}
	return nil
}

func (attachedRunner) Kill(context.Context) error { return nil }

func (r attachedRunner) ID() string { return strconv.Itoa(r.a.PID) }

func (attachedRunner) PluginToHost(network, addr string) (string, string, error) {
	return network, addr, nil
}

func (attachedRunner) HostToPlugin(network, addr string) (string, string, error) {
	return network, addr, nil
}
