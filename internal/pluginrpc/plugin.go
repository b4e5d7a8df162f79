// Package pluginrpc carries the shared.Refresher contract across a process boundary:
// the go-plugin handshake and plugin sets, the gRPC server a plugin runs and the
// client the host uses, and the conversion between the public Go types of package
// shared and the protobuf messages of each protocol version. The host, the plugin SDK
// and its test harness use it; it is internal, so the wire can evolve without
// breaking anyone's code.
//
// Protocol 1 is what plugins built with brs's first SDK speak. Protocol 2 adds
// GetPluginInfo (the plugin's name and version) and sends the role with ValidateConfig.
// A plugin built with this package serves both; a host speaks both, so old plugins
// keep running under new hosts and new plugins under old hosts.
package pluginrpc

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	refresherv1 "github.com/brs-go/brs/internal/pluginrpc/internal/proto/v1"
	refresherv2 "github.com/brs-go/brs/internal/pluginrpc/internal/proto/v2"
	"github.com/brs-go/brs/shared"
)

// The refresher protocol versions, negotiated by go-plugin: each side offers the
// versions it speaks and the highest common one is used.
const (
	// Protocol1 is the first protocol, spoken by plugins built with the first SDK.
	Protocol1 = 1
	// Protocol2 adds the plugin's name and version (GetPluginInfo).
	Protocol2 = 2
	// ProtocolVersion is the newest protocol this package speaks.
	ProtocolVersion = Protocol2
)

// PluginName is the name the refresher is dispensed under in a go-plugin PluginSet.
const PluginName = "refresher"

// Handshake is the go-plugin handshake shared by the host and every plugin. The magic
// cookie only keeps a plugin binary from being run by hand by mistake; it is not a
// security measure. ProtocolVersion is go-plugin's fallback when a side does not
// negotiate; both sides here always do (VersionedPlugins).
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  Protocol1,
	MagicCookieKey:   "BRS_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "a3f1c9e2-brs-refresher",
}

// Info is what a plugin says about itself.
type Info struct {
	// Name is the plugin's name, e.g. "file"; empty for protocol 1 plugins.
	Name string
	// Version is the plugin's own version; empty for protocol 1 plugins.
	Version string
	// SDKVersion is the version of the plugin SDK it was built with; empty for
	// protocol 1 plugins and plugins built before SDK 1.1.
	SDKVersion string
	// Protocol is the negotiated refresher protocol version.
	Protocol int
}

// VersionedPlugins returns the plugin sets per protocol version. impl and info are
// what a plugin serves; on the host both are zero.
func VersionedPlugins(impl shared.Refresher, info Info) map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{
		Protocol1: {PluginName: &GRPCPlugin{Impl: impl, Protocol: Protocol1}},
		Protocol2: {PluginName: &GRPCPlugin{Impl: impl, Info: info, Protocol: Protocol2}},
	}
}

// GRPCPlugin is the go-plugin glue for a Refresher over gRPC, for one protocol
// version. Only gRPC is supported.
type GRPCPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	// Impl is the refresher a plugin serves; unused on the host.
	Impl shared.Refresher
	// Info is what a plugin says about itself (protocol 2); unused on the host.
	Info Info
	// Protocol is the protocol version this plugin set speaks; 0 means ProtocolVersion.
	Protocol int
}

var _ goplugin.GRPCPlugin = (*GRPCPlugin)(nil)

func (p *GRPCPlugin) protocol() int {
	if p.Protocol == 0 {
		return ProtocolVersion
	}
	return p.Protocol
}

// GRPCServer registers the refresher on a plugin's gRPC server.
func (p *GRPCPlugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	v1 := &serverV1{impl: p.Impl}
	if p.protocol() == Protocol1 {
		refresherv1.RegisterRefresherServer(s, v1)
		return nil
	}
	refresherv2.RegisterRefresherServer(s, &serverV2{v1: v1, info: p.Info})
	return nil
}

// GRPCClient returns a *Client that calls the plugin over conn.
func (p *GRPCPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	c := &Client{protocol: p.protocol()}
	if c.protocol == Protocol1 {
		c.rpc = refresherv1.NewRefresherClient(conn)
	} else {
		v2 := refresherv2.NewRefresherClient(conn)
		c.rpc, c.v2 = v2, v2
	}
	return c, nil
}

// GRPCDialOptions returns the options the host dials a plugin's gRPC server with:
// answers larger than shared.MaxMessageSize are refused by gRPC before they are
// decoded.
func GRPCDialOptions() []grpc.DialOption {
	return []grpc.DialOption{grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(shared.MaxMessageSize))}
}
