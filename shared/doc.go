// Package shared is the contract between the brs host and its refresher plugins: the
// Refresher interface that every credential source implements, and the request,
// response and schema types it uses. It holds hand-written Go types only; the wire
// protocol (go-plugin, gRPC, protobuf) that carries them across a process boundary is
// internal to brs, so it can change without breaking a plugin's code.
//
// The same Refresher value runs in-process (host.WithRefresher) or as a plugin
// subprocess (plugin.Serve); the host cannot tell the difference. CheckSchema and
// CheckCredentials are the rules the host applies to what any refresher answers.
package shared
