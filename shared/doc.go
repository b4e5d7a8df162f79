// Package shared is the contract between the brs host and its refresher plugins: the
// Refresher interface that every credential source implements, the request, response
// and schema types it uses, and the go-plugin glue (Handshake, VersionedPlugins,
// GRPCPlugin) that carries it across a process boundary over gRPC.
//
// The same Refresher value runs in-process (host.WithRefresher) or as a plugin
// subprocess (plugin.Serve); the host cannot tell the difference. The protobuf messages
// behind the gRPC service live in shared/internal/proto and are not part of the API.
package shared
