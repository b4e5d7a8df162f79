// Package stsproxy is a reverse proxy for tests that sits in front of a real STS
// server (MinIO) and counts the requests that reach it, by Action: what STS receives,
// whatever the SDK's retries or the host's events say.
package stsproxy

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// maxBody bounds the request body the proxy reads to find the Action.
const maxBody = 1 << 20

// Proxy is a running counting proxy.
type Proxy struct {
	// URL is the proxy's address, to use as a role's endpoint.
	URL string

	mu     sync.Mutex
	counts map[string]*atomic.Int64
}

// Start starts a proxy to backend (such as miniotest's Server.Endpoint), stopped when
// the test ends. While the backend is down, the proxy closes each connection without
// an answer, as a stopped server's port would refuse it.
func Start(t testing.TB, backend string) *Proxy {
	t.Helper()
	target, err := url.Parse(backend)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{counts: map[string]*atomic.Int64{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, _ error) {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		w.WriteHeader(http.StatusBadGateway)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := r.URL.Query().Get("Action")
		if r.Method == http.MethodPost {
			body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			if q, err := url.ParseQuery(string(body)); err == nil && q.Get("Action") != "" {
				action = q.Get("Action")
			}
		}
		p.Counter(action).Add(1)
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// Count returns how many requests with this Action (AssumeRole, say) the proxy has
// received, whether or not the backend answered them.
func (p *Proxy) Count(action string) int64 { return p.Counter(action).Load() }

// Counter returns the live count of requests with this Action.
func (p *Proxy) Counter(action string) *atomic.Int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counts[action]
	if c == nil {
		c = new(atomic.Int64)
		p.counts[action] = c
	}
	return c
}
