package ecs

import (
	"net/http"
	"net/netip"

	"github.com/brs-go/brs/shared"
)

// Refresher is the container credentials endpoint source. It implements
// shared.Refresher and is safe for concurrent use. Create one with New.
type Refresher struct {
	// plain sends requests over plain http: no proxy, and a dialer that refuses every
	// address that allowedAddr refuses.
	plain *http.Client
	// secure sends requests over https, through the proxy of the environment if any.
	secure *http.Client
}

var _ shared.Refresher = (*Refresher)(nil)

// New returns a container credentials endpoint source.
func New() *Refresher {
	return newRefresher(allowedAddr)
}

// newRefresher returns a Refresher whose plain-http connections may only go to the
// addresses allow accepts; tests pass a stricter allow to watch the check at work.
func newRefresher(allow func(netip.Addr) bool) *Refresher {
	return &Refresher{
		plain:  newClient(plainTransport(allow)),
		secure: newClient(secureTransport()),
	}
}
