package endpoint

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/netutil"
)

// Listen opens a TCP listener on addr (host:port), which must name a loopback address:
// 127.0.0.1 (or any 127.x.y.z), [::1], or localhost, which means 127.0.0.1. Port 0
// picks a free port. Any other address is refused, because the endpoint hands out
// credentials to whoever can reach it and knows the token.
func Listen(addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("endpoint: listen address %q: %v; use 127.0.0.1:PORT", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		what := fmt.Sprintf("%q is not a loopback address", host)
		if host == "" {
			what = "an empty host means every interface"
		}
		return nil, fmt.Errorf("endpoint: refusing to listen on %s: %s, and the endpoint hands out credentials; use 127.0.0.1:%s",
			addr, what, port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), port))
	if err != nil {
		return nil, fmt.Errorf("endpoint: %w", err)
	}
	return ln, nil
}

// Limits bound what clients can hold of a Server. The endpoint answers one small GET
// per request from a cache, so every bound is short; a zero field takes its value
// from DefaultLimits.
type Limits struct {
	// ReadHeaderTimeout bounds reading a request's line and headers, from the moment
	// the connection is accepted (or, on a kept-alive connection, from its first
	// byte). A client that connects and says nothing is dropped then.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds a whole request, from its first byte until its answer is
	// written, the wait for a refresh included: the request's context ends then, and
	// it is answered with an error.
	ReadTimeout time.Duration
	// WriteTimeout bounds the handler and the writing of its answer, from the end of
	// the headers. It is longer than ReadTimeout, so that a request whose wait ended
	// still gets its error answer.
	WriteTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait for its next request.
	// Only clients that presented the token keep their connection: every refusal
	// closes it.
	IdleTimeout time.Duration
	// MaxConns is the number of connections open at once. Further connections wait
	// in the kernel's accept queue until one closes; brs never runs out of file
	// descriptors because of its clients.
	MaxConns int
	// MaxHeaderBytes caps the request line and headers; net/http allows 4 KiB more
	// than this before it answers 431.
	MaxHeaderBytes int
}

// DefaultLimits returns the limits a Server applies unless told otherwise. A client
// queued behind MaxConns connections that say nothing is served within
// ReadHeaderTimeout (behind idle ones, within IdleTimeout): within botocore's 2 s read
// timeout. Behind more, it waits one ReadHeaderTimeout per MaxConns of them: the
// accept queue is first come, first served.
func DefaultLimits() Limits {
	return Limits{
		ReadHeaderTimeout: time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute + 5*time.Second,
		IdleTimeout:       time.Second,
		MaxConns:          128,
		MaxHeaderBytes:    4 << 10,
	}
}

// withDefaults returns l with each zero (or negative) field replaced by its default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.ReadHeaderTimeout <= 0 {
		l.ReadHeaderTimeout = d.ReadHeaderTimeout
	}
	if l.ReadTimeout <= 0 {
		l.ReadTimeout = d.ReadTimeout
	}
	if l.WriteTimeout <= 0 {
		l.WriteTimeout = d.WriteTimeout
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = d.IdleTimeout
	}
	if l.MaxConns <= 0 {
		l.MaxConns = d.MaxConns
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = d.MaxHeaderBytes
	}
	return l
}

// ServerOption configures a Server.
type ServerOption func(*Limits)

// WithLimits replaces DefaultLimits; zero fields of l keep their default.
func WithLimits(l Limits) ServerOption { return func(d *Limits) { *d = l } }

// Server serves a Handler on a loopback listener.
type Server struct {
	http *http.Server
	ln   net.Listener
	done chan error

	once    sync.Once
	stopErr error
}

// Start listens on addr (see Listen) and serves h in the background until Shutdown.
func Start(addr string, h http.Handler, opts ...ServerOption) (*Server, error) {
	ln, err := Listen(addr)
	if err != nil {
		return nil, err
	}
	return Serve(ln, h, opts...), nil
}

// Serve serves h on ln, a listener from Listen, in the background until Shutdown,
// within DefaultLimits unless an option says otherwise.
func Serve(ln net.Listener, h http.Handler, opts ...ServerOption) *Server {
	var lim Limits
	for _, o := range opts {
		o(&lim)
	}
	lim = lim.withDefaults()
	s := &Server{
		http: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: lim.ReadHeaderTimeout,
			ReadTimeout:       lim.ReadTimeout,
			WriteTimeout:      lim.WriteTimeout,
			IdleTimeout:       lim.IdleTimeout,
			MaxHeaderBytes:    lim.MaxHeaderBytes,
			ErrorLog:          log.New(discard{}, "", 0),
		},
		ln:   ln,
		done: make(chan error, 1),
	}
	go func() { s.done <- s.http.Serve(netutil.LimitListener(ln, lim.MaxConns)) }()
	return s
}

// Addr is the address the server listens on, e.g. 127.0.0.1:41234.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the base URL of the server, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return "http://" + s.Addr() }

// RoleURL is the URL of a role's credentials, the value of
// AWS_CONTAINER_CREDENTIALS_FULL_URI.
func (s *Server) RoleURL(role string) string { return s.URL() + PathPrefix + url.PathEscape(role) }

// Shutdown stops accepting requests and waits for those in progress, until ctx ends;
// then it closes what is left. Later calls return the first call's result.
func (s *Server) Shutdown(ctx context.Context) error {
	s.once.Do(func() {
		err := s.http.Shutdown(ctx)
		if err != nil {
			_ = s.http.Close()
		}
		if serr := <-s.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
		s.stopErr = err
	})
	return s.stopErr
}

// discard is the server's error log: the handler logs what matters itself.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
