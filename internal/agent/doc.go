// Package agent is the brs agent: one long-running process per user that holds a
// live host per config file, and the client every brs command uses to reach it.
//
// The agent listens on a unix socket in a directory only its user may use, checks
// the peer's uid on every connection (SO_PEERCRED), and speaks one request and one
// response per connection: each a 4-byte big-endian length followed by that many
// bytes of JSON, at most MaxMessage. Credentials live only in the agent's memory.
package agent
