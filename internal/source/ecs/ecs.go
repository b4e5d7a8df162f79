package ecs

import (
	"net/netip"

	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

// Refresher is the container credentials endpoint source. It implements
// shared.Refresher and is safe for concurrent use. Create one with New.
type Refresher struct {
	// plain sends requests over plain http: no proxy, and only to the addresses that
	// allowedAddr accepts, checked after name resolution.
	plain *httpsource.Client
	// secure sends requests over https, through the proxy of the environment if any.
	secure *httpsource.Client
}

var _ shared.Refresher = (*Refresher)(nil)

// New returns a container credentials endpoint source.
func New() *Refresher {
	return newRefresher(allowedAddr)
}

// advice is what the messages of the HTTP client's errors add, by code.
var advice = map[string]string{
	"HostNotAllowed": "with plain http the endpoint must be " + allowedHostsText + "; use https for any other host",
	"Timeout":        "the endpoint may be overloaded, raise timeout if it is always this slow",
	"NetworkError":   "check that the credentials agent runs and that uri is its address",
}

// newRefresher returns a Refresher whose plain-http connections may only go to the
// addresses allow accepts; tests pass a stricter allow to watch the check at work.
func newRefresher(allow func(netip.Addr) bool) *Refresher {
	opts := httpsource.Options{Timeout: defaultTimeout, MaxBody: maxBody, UserAgent: userAgent, Advice: advice}
	secure := httpsource.New(opts)
	opts.NoProxy, opts.AllowAddr = true, allow
	return &Refresher{plain: httpsource.New(opts), secure: secure}
}
