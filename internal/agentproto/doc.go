// Package agentproto is the brs agent's protocol as a client needs it: the messages
// and their framing on the socket, where the socket is, the checks that the socket
// and whoever listens on it are the user's own, and Call. It imports only the
// standard library and golang.org/x/sys, so that a client of the agent links nothing
// of the host, the AWS SDK, HCL or gRPC, and starts in a few milliseconds.
package agentproto
