package pluginrpc

import (
	"encoding/json"
	"fmt"
	"net"

	goplugin "github.com/hashicorp/go-plugin"
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

// Config returns go-plugin's reattach config for r.
func (r Reattach) Config() (*goplugin.ReattachConfig, error) {
	var addr net.Addr
	var err error
	switch r.Addr.Network {
	case "unix":
		addr, err = net.ResolveUnixAddr("unix", r.Addr.String)
	case "tcp":
		addr, err = net.ResolveTCPAddr("tcp", r.Addr.String)
	default:
		err = fmt.Errorf("unknown network %q", r.Addr.Network)
	}
	if err != nil {
		return nil, fmt.Errorf("reattach address: %v", err)
	}
	if r.Pid <= 0 {
		return nil, fmt.Errorf("reattach config without a pid")
	}
	if r.ProtocolVersion < Protocol1 || r.ProtocolVersion > ProtocolVersion {
		return nil, fmt.Errorf("the plugin speaks refresher protocol %d; this host speaks %d to %d", r.ProtocolVersion, Protocol1, ProtocolVersion)
	}
	return &goplugin.ReattachConfig{Protocol: goplugin.Protocol(r.Protocol), ProtocolVersion: r.ProtocolVersion, Addr: addr, Pid: r.Pid, Test: r.Test}, nil
}
