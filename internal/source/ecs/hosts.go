package ecs

import (
	"net/netip"
	"strings"
)

// The addresses of the agents that serve container credentials over plain http.
var (
	// ecsAgent is the Amazon ECS agent's credentials address.
	ecsAgent = netip.MustParseAddr("169.254.170.2")
	// eksAgentV4 and eksAgentV6 are the EKS Pod Identity agent's addresses.
	eksAgentV4 = netip.MustParseAddr("169.254.170.23")
	eksAgentV6 = netip.MustParseAddr("fd00:ec2::23")
)

// allowedAddr reports whether plain http may carry credentials to a: a loopback
// address, or one of the ECS and EKS agents' link-local addresses, which only the host
// of the container can answer. This is the rule of the AWS SDKs.
func allowedAddr(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a == ecsAgent || a == eksAgentV4 || a == eksAgentV6
}

// allowedHostsText lists the hosts that plain http may use, for messages.
const allowedHostsText = "a loopback address (127.0.0.0/8, ::1, localhost), the ECS agent's 169.254.170.2, " +
	"or the EKS Pod Identity agent's 169.254.170.23 or fd00:ec2::23"

// plainHostAllowed reports whether host, a URL's host name without port or brackets,
// may be used with plain http before any name is resolved: an allowed IP address, or
// localhost, whose addresses are checked when the connection is made.
func plainHostAllowed(host string) bool {
	if a, err := netip.ParseAddr(host); err == nil {
		return a.Zone() == "" && allowedAddr(a)
	}
	return strings.EqualFold(strings.TrimSuffix(host, "."), "localhost")
}
