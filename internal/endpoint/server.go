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

// Server serves a Handler on a loopback listener.
type Server struct {
	http *http.Server
	ln   net.Listener
	done chan error

	once    sync.Once
	stopErr error
}

// Start listens on addr (see Listen) and serves h in the background until Shutdown.
func Start(addr string, h http.Handler) (*Server, error) {
	ln, err := Listen(addr)
	if err != nil {
		return nil, err
	}
	return Serve(ln, h), nil
}

// Serve serves h on ln, a listener from Listen, in the background until Shutdown.
func Serve(ln net.Listener, h http.Handler) *Server {
	s := &Server{
		http: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       2 * time.Minute,
			MaxHeaderBytes:    16 << 10,
			// No WriteTimeout: a request may wait for a refresh, which the role's
			// refresh timeout already bounds.
			ErrorLog: log.New(discard{}, "", 0),
		},
		ln:   ln,
		done: make(chan error, 1),
	}
	go func() { s.done <- s.http.Serve(ln) }()
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
