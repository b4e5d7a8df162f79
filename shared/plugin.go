package shared

import (
	"context"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/brs-go/brs/shared/internal/proto"
)

// ProtocolVersion is the version of the refresher protocol this package speaks. A host
// and a plugin agree on it through go-plugin's version negotiation; a plugin built
// against another version is refused with a message that names both.
const ProtocolVersion = 1

// PluginName is the name the refresher is dispensed under in a go-plugin PluginSet.
const PluginName = "refresher"

// Handshake is the go-plugin handshake shared by the host and every plugin. The magic
// cookie only keeps a plugin binary from being run by hand by mistake; it is not a
// security measure.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "BRS_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "a3f1c9e2-brs-refresher",
}

// VersionedPlugins returns the plugin sets per protocol version. impl is served by a
// plugin and is nil on the host.
func VersionedPlugins(impl Refresher) map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{
		ProtocolVersion: {PluginName: &GRPCPlugin{Impl: impl}},
	}
}

// GRPCPlugin is the go-plugin glue for a Refresher over gRPC. Only gRPC is supported.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	// Impl is the refresher a plugin serves; unused on the host.
	Impl Refresher
}

var _ plugin.GRPCPlugin = (*GRPCPlugin)(nil)

// GRPCServer registers the refresher on a plugin's gRPC server.
func (p *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	proto.RegisterRefresherServer(s, &grpcServer{impl: p.Impl})
	return nil
}

// GRPCClient returns a Refresher that calls the plugin over conn.
func (p *GRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return &grpcClient{client: proto.NewRefresherClient(conn)}, nil
}
