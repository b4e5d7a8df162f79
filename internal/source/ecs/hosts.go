package ecs

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
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

// errAddrNotAllowed is the cause of a refused plain-http connection.
type errAddrNotAllowed struct{ addr string }

func (e *errAddrNotAllowed) Error() string {
	return fmt.Sprintf("address %s is not allowed for plain http", e.addr)
}

// plainTransport returns the transport for plain-http endpoints. Its dialer checks the
// address it connects to, after name resolution, so that localhost (or anything else)
// cannot lead the token to another machine. It uses no proxy: a proxy would see the
// token, and the endpoints are local anyway.
func plainTransport(allow func(netip.Addr) bool) *http.Transport {
	d := &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !allow(ap.Addr()) {
				return &errAddrNotAllowed{addr: address}
			}
			return nil
		},
	}
	return &http.Transport{
		Proxy:               nil,
		DialContext:         d.DialContext,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     90 * time.Second,
		TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
	}
}

// secureTransport returns the transport for https endpoints: any host, through the
// environment's proxy if one is set.
func secureTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return t
}

// newClient returns an HTTP client over t that does not follow redirects, so the
// token only ever goes to the configured endpoint; a redirect is reported as an error.
// Deadlines come from the request's context.
func newClient(t *http.Transport) *http.Client {
	return &http.Client{
		Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// ctxDone reports whether err comes from ctx ending.
func ctxDone(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
