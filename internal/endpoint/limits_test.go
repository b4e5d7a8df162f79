package endpoint_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"

	"github.com/brs-go/brs/internal/endpoint"
)

// sdkTimeout is how long the legitimate client, the Go SDK's container credentials
// provider, waits for its credentials: botocore's container provider waits 2 s.
const sdkTimeout = 2 * time.Second

// sdkRetrieve fetches a role's credentials as an AWS SDK in a container does, within
// sdkTimeout, and returns the access key id.
func sdkRetrieve(url, token string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), sdkTimeout)
	defer cancel()
	p := endpointcreds.New(url, func(o *endpointcreds.Options) { o.AuthorizationToken = token })
	c, err := p.Retrieve(ctx)
	return c.AccessKeyID, err
}

// rawConn is a client connection that speaks HTTP/1.1 by hand, for requests that no
// well-behaved client sends.
type rawConn struct {
	net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{Conn: c, r: bufio.NewReader(c)}
}

// send writes a request's head: its line and headers, then the empty line.
func (c *rawConn) send(t *testing.T, lines ...string) {
	t.Helper()
	if _, err := io.WriteString(c, strings.Join(lines, "\r\n")+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
}

// answer reads one response within d and decodes its JSON body.
func (c *rawConn) answer(t *testing.T, d time.Duration) (*http.Response, map[string]string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		t.Fatalf("no answer within %v: %v", d, err)
	}
	defer resp.Body.Close()
	var doc map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatalf("status %d: body: %v", resp.StatusCode, err)
	}
	return resp, doc
}

// closedWithin reports whether the server closed the connection within d: a read
// ends with EOF (or a reset) rather than a timeout. Bytes that arrive instead count
// as open.
func (c *rawConn) closedWithin(d time.Duration) (bool, error) {
	_ = c.SetReadDeadline(time.Now().Add(d))
	n, err := c.r.Read(make([]byte, 1))
	switch {
	case n > 0:
		return false, errors.New("the server sent more bytes")
	case errors.Is(err, io.EOF), errors.Is(err, syscall.ECONNRESET):
		return true, nil
	default:
		return false, err
	}
}

// countingListener counts the connections the server holds open, and the most it
// ever held at once.
type countingListener struct {
	net.Listener
	open, max atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	n := l.open.Add(1)
	for m := l.max.Load(); n > m && !l.max.CompareAndSwap(m, n); m = l.max.Load() {
	}
	return &countedConn{Conn: c, l: l}, nil
}

type countedConn struct {
	net.Conn
	l    *countingListener
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.l.open.Add(-1) })
	return c.Conn.Close()
}

// TestSlowlorisBodies: connections without the token that announce a request body and
// never send it (Content-Length, chunked, Expect: 100-continue) fill the connection
// cap; each is answered 413 and closed at once, not held until a read timeout, and
// the Go SDK's container provider, queued behind them, gets its credentials within
// its timeout. The read timeout here is far longer than the SDK's, so only refusing
// the body frees the slots in time.
func TestSlowlorisBodies(t *testing.T) {
	const maxConns = 4
	f := startWith(t, nil, endpoint.WithLimits(endpoint.Limits{
		MaxConns: maxConns, ReadHeaderTimeout: time.Minute, ReadTimeout: time.Minute, WriteTimeout: time.Minute,
	}))
	heads := [][]string{
		{"POST /roles/a HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 100000"},
		{"GET /roles/a HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 10"},
		{"PUT /roles/a HTTP/1.1", "Host: 127.0.0.1", "Transfer-Encoding: chunked"},
		{"POST /roles/a HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 10", "Expect: 100-continue"},
		// With the token too: a body is refused before anything else.
		{"GET /roles/a HTTP/1.1", "Host: 127.0.0.1", "Content-Length: 10", "Authorization: " + f.token},
	}
	var conns []*rawConn
	for i := range 3 * maxConns {
		c := dial(t, f.srv.Addr())
		c.send(t, heads[i%len(heads)]...)
		conns = append(conns, c)
	}
	key, err := sdkRetrieve(f.srv.RoleURL("a"), f.token)
	if err != nil || key == "" {
		t.Fatalf("the SDK behind %d slowloris connections: %v", len(conns), err)
	}
	for i, c := range conns {
		resp, doc := c.answer(t, sdkTimeout)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || doc["code"] != "BodyNotAllowed" || !resp.Close {
			t.Errorf("%q: status %d, %v, close %v; want 413 BodyNotAllowed and Connection: close", heads[i%len(heads)], resp.StatusCode, doc, resp.Close)
		}
		if closed, err := c.closedWithin(sdkTimeout); !closed {
			t.Errorf("%q: the connection is still open after the answer: %v", heads[i%len(heads)], err)
		}
	}
}

// TestConnectionCap: three times MaxConns connections that never send a byte. The
// server never holds more than MaxConns at once, drops each after ReadHeaderTimeout,
// and the Go SDK's container provider queued behind them gets its credentials within
// its timeout.
func TestConnectionCap(t *testing.T) {
	const maxConns = 4
	h, clk := loadHost(t)
	token, _ := endpoint.NewToken()
	hd, err := endpoint.NewHandler(h, token, []string{"a"}, endpoint.WithNow(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := endpoint.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl := &countingListener{Listener: ln}
	srv := endpoint.Serve(cl, hd, endpoint.WithLimits(endpoint.Limits{MaxConns: maxConns, ReadHeaderTimeout: 200 * time.Millisecond}))
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })

	var conns []*rawConn
	for range 3 * maxConns {
		conns = append(conns, dial(t, srv.Addr()))
	}
	start := time.Now()
	if _, err := sdkRetrieve(srv.RoleURL("a"), token); err != nil {
		t.Fatalf("the SDK behind %d silent connections: %v", len(conns), err)
	}
	t.Logf("the SDK got its credentials after %v", time.Since(start))
	for i, c := range conns {
		if closed, err := c.closedWithin(sdkTimeout); !closed {
			t.Errorf("silent connection %d is still open: %v", i, err)
		}
	}
	if m := cl.max.Load(); m > maxConns {
		t.Errorf("the server held %d connections at once; the cap is %d", m, maxConns)
	}
}

// TestRefusalsCloseTheConnection: every refused request — no token, a wrong token, a
// foreign Host, a body — is answered with Connection: close and the connection is
// closed, by the handler itself (a keep-alive server of net/http's defaults) as by
// the endpoint's server. A good request keeps its connection, until IdleTimeout.
func TestRefusalsCloseTheConnection(t *testing.T) {
	f := startWith(t, nil, endpoint.WithLimits(endpoint.Limits{IdleTimeout: 200 * time.Millisecond}))
	hd, err := endpoint.NewHandler(f.host, f.token, []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	plain := httptest.NewServer(hd)
	t.Cleanup(plain.Close)

	for _, srv := range []struct{ name, addr string }{{"endpoint", f.srv.Addr()}, {"handler", plain.Listener.Addr().String()}} {
		for _, tc := range []struct {
			name   string
			head   []string
			status int
		}{
			{"no token", []string{"GET /roles/a HTTP/1.1", "Host: 127.0.0.1"}, 401},
			{"wrong token", []string{"GET /roles/a HTTP/1.1", "Host: 127.0.0.1", "Authorization: " + strings.Repeat("0", 64)}, 403},
			{"foreign host", []string{"GET /roles/a HTTP/1.1", "Host: evil.example", "Authorization: " + f.token}, 403},
			{"body", []string{"GET /roles/a HTTP/1.1", "Host: 127.0.0.1", "Authorization: " + f.token, "Content-Length: 5"}, 413},
		} {
			t.Run(srv.name+"/"+tc.name, func(t *testing.T) {
				c := dial(t, srv.addr)
				c.send(t, tc.head...)
				resp, doc := c.answer(t, sdkTimeout)
				if resp.StatusCode != tc.status || !resp.Close || doc["SecretAccessKey"] != "" {
					t.Errorf("status %d, close %v, %v; want %d and Connection: close", resp.StatusCode, resp.Close, doc, tc.status)
				}
				if closed, err := c.closedWithin(sdkTimeout); !closed {
					t.Errorf("the connection is still open: %v", err)
				}
			})
		}
	}

	// A good request keeps its connection for the next one, and the endpoint closes
	// it when it has been idle for IdleTimeout.
	c := dial(t, f.srv.Addr())
	for range 2 {
		c.send(t, "GET /roles/a HTTP/1.1", "Host: 127.0.0.1", "Authorization: "+f.token)
		if resp, doc := c.answer(t, sdkTimeout); resp.StatusCode != 200 || resp.Close || doc["SecretAccessKey"] != "secret-a" {
			t.Fatalf("status %d, close %v", resp.StatusCode, resp.Close)
		}
	}
	if closed, err := c.closedWithin(sdkTimeout); !closed {
		t.Errorf("an idle connection is still open after %v: %v", sdkTimeout, err)
	}
}

// TestHeaderCap: a request whose headers exceed MaxHeaderBytes (4 KiB, plus the 4 KiB
// net/http adds) is refused with 431 before the handler sees it; the headers the AWS
// SDKs send fit.
func TestHeaderCap(t *testing.T) {
	f := start(t)
	c := dial(t, f.srv.Addr())
	c.send(t, "GET /roles/a HTTP/1.1", "Host: 127.0.0.1", "X-Pad: "+strings.Repeat("x", 10<<10))
	_ = c.SetReadDeadline(time.Now().Add(sdkTimeout))
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil || resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("10 KiB of headers: %v, %v; want 431", resp, err)
	}
	// A long User-Agent, as the AWS CLI sends, and the token.
	status, _, _ := f.get(t, "GET", f.srv.RoleURL("a"), map[string]string{"Authorization": f.token, "User-Agent": strings.Repeat("a", 1<<10)})
	if status != 200 {
		t.Errorf("SDK-sized headers: status %d", status)
	}
}

// TestPerRoleTokens: with a token per role, each token fetches its own role's
// credentials through the Go SDK, and only those: another role's token is refused
// (403), a role not served answers 404 only to a valid token.
func TestPerRoleTokens(t *testing.T) {
	h, clk := loadHost(t)
	tokens := map[string]string{}
	for _, r := range []string{"a", "b"} {
		tok, err := endpoint.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		tokens[r] = tok
	}
	hd, err := endpoint.NewPerRoleHandler(h, tokens, endpoint.WithNow(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := endpoint.Start("127.0.0.1:0", hd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	f := &fixture{srv: srv}

	for role, tok := range tokens {
		if key, err := sdkRetrieve(srv.RoleURL(role), tok); err != nil || !strings.HasSuffix(key, strings.ToUpper(role)) {
			t.Errorf("role %s with its token: %q, %v", role, key, err)
		}
		other := map[string]string{"a": "b", "b": "a"}[role]
		if key, err := sdkRetrieve(srv.RoleURL(other), tok); err == nil || !strings.Contains(err.Error(), "InvalidToken") {
			t.Errorf("role %s with role %s's token: %q, %v; want InvalidToken", other, role, key, err)
		}
		status, _, doc := f.get(t, "GET", srv.RoleURL(other), map[string]string{"Authorization": tok})
		if status != 403 || doc["code"] != "InvalidToken" || doc["SecretAccessKey"] != "" || strings.Contains(doc["message"], tok) {
			t.Errorf("role %s with role %s's token: status %d, %v", other, role, status, doc)
		}
	}
	for _, tc := range []struct {
		role, token string
		status      int
	}{
		{"c", tokens["a"], 404},               // a role of the host, not served
		{"c", strings.Repeat("0", 64), 403},   // nothing about roles without a token
		{"a", strings.Repeat("0", 64), 403},   // a wrong token
		{"a", tokens["a"] + tokens["b"], 403}, // both tokens
		{"a", nearly(tokens["a"]), 403},       // a's but for its last character
	} {
		if status, _, doc := f.get(t, "GET", srv.RoleURL(tc.role), map[string]string{"Authorization": tc.token}); status != tc.status {
			t.Errorf("role %s: status %d, %v; want %d", tc.role, status, doc, tc.status)
		}
	}

	if _, err := endpoint.NewPerRoleHandler(h, map[string]string{"a": tokens["a"], "b": "short"}); err == nil || !strings.Contains(err.Error(), `role "b"`) {
		t.Errorf("a short token: %v", err)
	}
	if _, err := endpoint.NewPerRoleHandler(h, nil); err == nil {
		t.Error("no roles was accepted")
	}
}

// nearly returns tok with its last character changed.
func nearly(tok string) string {
	last := "0"
	if strings.HasSuffix(tok, "0") {
		last = "1"
	}
	return tok[:len(tok)-1] + last
}
