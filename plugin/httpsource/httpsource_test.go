package httpsource_test

import (
	"bufio"
	"context"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

const (
	token      = "hvs.s3cr3t-vault-token-0123456789"
	bearer     = "Bearer " + token
	queryToken = "q-s3cr3t-query-token-987"
)

func newClient(t *testing.T, opts httpsource.Options) *httpsource.Client {
	t.Helper()
	c := httpsource.New(opts)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// counter is a handler that counts its requests.
type counter struct {
	n atomic.Int32
	h http.HandlerFunc
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	if c.h != nil {
		c.h(w, r)
	}
}

// TestNoRedirect: a redirect, to another host or the same one, is not followed (the
// target never sees the token) and is a permanent Redirect error.
func TestNoRedirect(t *testing.T) {
	target := &counter{}
	other := httptest.NewServer(target)
	defer other.Close()
	same := &counter{}
	mux := http.NewServeMux()
	mux.Handle("/final", same)
	mux.Handle("/other", http.RedirectHandler(other.URL+"/steal", http.StatusFound))
	mux.Handle("/same", http.RedirectHandler("/final", http.StatusTemporaryRedirect))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := newClient(t, httpsource.Options{})
	for _, path := range []string{"/other", "/same"} {
		resp, err := c.Do(context.Background(), &httpsource.Request{URL: srv.URL + path, Header: http.Header{"Authorization": {bearer}}})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		sourcetest.WantError(t, resp.StatusError("", ""), "Redirect", false, "HTTP 30", "redirects are not followed")
	}
	if n := target.n.Load(); n != 0 {
		t.Errorf("the other host got %d requests: the redirect was followed", n)
	}
	if n := same.n.Load(); n != 0 {
		t.Errorf("the redirect's path got %d requests: the redirect was followed", n)
	}
}

// TestBodyLimit: an answer longer than MaxBody is an error, not a larger allocation.
func TestBodyLimit(t *testing.T) {
	const limit = 1000
	size := atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", int(size.Load()))))
	}))
	defer srv.Close()
	c := newClient(t, httpsource.Options{MaxBody: limit})
	size.Store(limit)
	resp, err := c.Do(context.Background(), &httpsource.Request{URL: srv.URL})
	if err != nil || len(resp.Body) != limit {
		t.Fatalf("a body of exactly MaxBody: %v", err)
	}
	size.Store(limit + 1)
	_, err = c.Do(context.Background(), &httpsource.Request{URL: srv.URL})
	sourcetest.WantError(t, err, "InvalidResponse", true, "larger than 1000 bytes")

	// The default bound.
	size.Store(httpsource.DefaultMaxBody + 1)
	_, err = newClient(t, httpsource.Options{}).Do(context.Background(), &httpsource.Request{URL: srv.URL})
	sourcetest.WantError(t, err, "InvalidResponse", true, "larger than 65536 bytes")
}

// TestSlowBody: a server that sends its headers and part of the body, then holds the
// connection open, meets the deadline: the client's Timeout, or the context's.
func TestSlowBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		_, _ = w.Write([]byte(`{"AccessKeyId": "ASIA`))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	for name, tc := range map[string]struct {
		opts    httpsource.Options
		ctxTime time.Duration
	}{
		"client timeout":   {httpsource.Options{Timeout: 200 * time.Millisecond}, time.Hour},
		"context deadline": {httpsource.Options{Timeout: time.Hour}, 200 * time.Millisecond},
	} {
		t.Run(name, func(t *testing.T) {
			c := newClient(t, tc.opts)
			ctx, cancel := context.WithTimeout(context.Background(), tc.ctxTime)
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := c.Do(ctx, &httpsource.Request{URL: srv.URL})
				done <- err
			}()
			select {
			case err := <-done:
				sourcetest.WantError(t, err, "Timeout", true, "no answer within")
			case <-time.After(10 * time.Second): // a bound on a test that would otherwise hang
				t.Fatal("Do still reads the body of a server that stopped sending, 10s on")
			}
		})
	}
}

// TestHeaderRedaction: no error holds a sensitive header's value or the URL's query,
// even when the server echoes them where net/http quotes what it got (a malformed
// answer) or in the code and detail a source passes on.
func TestHeaderRedaction(t *testing.T) {
	// A server that answers with the request's headers as a malformed header line,
	// which net/http quotes in its error.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\n" + req.Header.Get("Authorization") + " " + req.Header.Get("X-Vault-Token") + "\r\n\r\n"))
			}()
		}
	}()
	hdr := http.Header{"Authorization": {bearer}, "X-Vault-Token": {token + "-2"}}
	c := newClient(t, httpsource.Options{NoProxy: true})
	_, err = c.Do(context.Background(), &httpsource.Request{URL: "http://" + ln.Addr().String() + "/v1/creds?token=" + queryToken, Header: hdr})
	se := sourcetest.WantError(t, err, "NetworkError", true, "GET http://"+ln.Addr().String()+"/v1/creds")
	if !strings.Contains(se.Message, "[redacted]") {
		t.Errorf("error %q: the malformed header line should be there, redacted", se.Message)
	}
	noSecret(t, se)

	// A status error whose code and detail a source took from an echoing server.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(r.Header.Get("Authorization") + " " + r.Header.Get("X-Vault-Token") + " " + r.URL.RawQuery))
	}))
	defer echo.Close()
	resp, err := c.Do(context.Background(), &httpsource.Request{URL: echo.URL + "?token=" + queryToken, Header: hdr, Secrets: []string{"extra-s3cr3t"}})
	if err != nil {
		t.Fatal(err)
	}
	se = resp.StatusError(token, "the server says "+string(resp.Body)+" and extra-s3cr3t")
	noSecret(t, se)
	if strings.Contains(se.Code, token) || strings.Contains(resp.Redact(string(resp.Body)), token) {
		t.Errorf("code %q or Redact kept the token", se.Code)
	}

	// Refused connections quote the URL, query included, in url.Error.
	_, err = c.Do(context.Background(), &httpsource.Request{URL: "http://" + closedAddr(t) + "/x?token=" + queryToken, Header: hdr})
	noSecret(t, sourcetest.WantError(t, err, "NetworkError", true, "connection refused"))
}

func noSecret(t *testing.T, se *shared.Error) {
	t.Helper()
	for _, s := range []string{token, queryToken, "extra-s3cr3t"} {
		if strings.Contains(se.Error(), s) {
			t.Errorf("error %q holds the secret %q", se.Error(), s)
		}
	}
}

// closedAddr returns an address nothing listens on.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestStatusErrors: the status decides code and retryability; a source's code wins.
func TestStatusErrors(t *testing.T) {
	status := atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(int(status.Load())) }))
	defer srv.Close()
	c := newClient(t, httpsource.Options{Advice: map[string]string{"Unauthorized": "check the token"}})
	for _, tc := range []struct {
		status    int
		code      string
		retryable bool
	}{
		{400, "HTTP400", false}, {401, "Unauthorized", false}, {403, "AccessDenied", false}, {404, "NotFound", false},
		{409, "HTTP409", false}, {429, "Throttling", true}, {500, "ServerError", true}, {502, "ServerError", true},
		{503, "ServerError", true}, {204, "InvalidResponse", true}, {301, "Redirect", false},
	} {
		status.Store(int32(tc.status))
		resp, err := c.Do(context.Background(), &httpsource.Request{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		se := sourcetest.WantError(t, resp.StatusError("", ""), tc.code, tc.retryable, "HTTP "+strconv.Itoa(tc.status))
		if tc.status == 401 && !strings.HasSuffix(se.Message, "; check the token") {
			t.Errorf("401: message %q lacks the advice", se.Message)
		}
		sourcetest.WantError(t, resp.StatusError("RoleNotFound", "no such role"), "RoleNotFound", tc.retryable, "HTTP "+strconv.Itoa(tc.status)+" RoleNotFound: no such role")
	}
}

// TestRetryAfter: a 503 with a short Retry-After is waited out (on the clock) and
// sent once more; a long one is not waited for, and the error says how long the
// server asked for; a Retry-After past the context's deadline is not waited for.
func TestRetryAfter(t *testing.T) {
	var n atomic.Int32
	var always atomic.Bool // answer 503 every time
	after := atomic.Value{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1) == 1 || always.Load() {
			w.Header().Set("Retry-After", after.Load().(string))
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()

	fake := clock.NewFake(time.Now())
	c := newClient(t, httpsource.Options{MaxRetryWait: 5 * time.Second})
	httpsource.SetClock(c, fake)
	after.Store("2")
	done := make(chan *httpsource.Response, 1)
	go func() {
		resp, err := c.Do(context.Background(), &httpsource.Request{URL: srv.URL})
		if err != nil {
			t.Error(err)
		}
		done <- resp
	}()
	<-fake.TimerAdded()
	if p := fake.Pending(); len(p) != 1 || p[0].Sub(fake.Now()) != 2*time.Second {
		t.Fatalf("pending timers %v, want one 2s on", p)
	}
	fake.Advance(2 * time.Second)
	if resp := <-done; resp == nil || resp.StatusCode != 200 || n.Load() != 2 {
		t.Fatalf("after the Retry-After: %+v, %d requests; want 200 after 2", resp, n.Load())
	}

	// Waited out once only: a second 503 is the answer, and says what it asked.
	n.Store(0)
	always.Store(true)
	go func() {
		resp, err := c.Do(context.Background(), &httpsource.Request{URL: srv.URL})
		if err != nil {
			t.Error(err)
		}
		done <- resp
	}()
	<-fake.TimerAdded()
	fake.Advance(2 * time.Second)
	resp := <-done
	if n.Load() != 2 {
		t.Errorf("%d requests, want 2: one wait only", n.Load())
	}
	sourcetest.WantError(t, resp.StatusError("", ""), "ServerError", true, "the server asks to wait 2s")
	always.Store(false)

	for name, tc := range map[string]struct {
		after   string
		ctxTime time.Duration
		want    string
	}{
		"above the cap":        {"3600", time.Hour, "the server asks to wait 1h0m0s"},
		"past the deadline":    {"3", 2 * time.Second, "the server asks to wait 3s"},
		"an HTTP date":         {time.Now().Add(2 * time.Hour).UTC().Format(http.TimeFormat), time.Hour, "the server asks to wait 1h59m"},
		"unparsable is no ask": {"soon", time.Hour, "HTTP 503: the server failed"},
	} {
		t.Run(name, func(t *testing.T) {
			n.Store(0)
			after.Store(tc.after)
			ctx, cancel := context.WithTimeout(context.Background(), tc.ctxTime)
			defer cancel()
			resp, err := c.Do(ctx, &httpsource.Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			sourcetest.WantError(t, resp.StatusError("", "the server failed"), "ServerError", true, tc.want)
			if n.Load() != 1 {
				t.Errorf("%d requests, want 1", n.Load())
			}
		})
	}
}

// TestAllowAddr: an address AllowAddr refuses gets no connection.
func TestAllowAddr(t *testing.T) {
	h := &counter{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := newClient(t, httpsource.Options{NoProxy: true, AllowAddr: func(a netip.Addr) bool { return !a.IsLoopback() },
		Advice: map[string]string{"HostNotAllowed": "use https"}})
	_, err := c.Do(context.Background(), &httpsource.Request{URL: srv.URL})
	sourcetest.WantError(t, err, "HostNotAllowed", false, "refused to connect to 127.0.0.1:", "; use https")
	if h.n.Load() != 0 {
		t.Error("the refused address got the request")
	}
}

// TestCAFile: a CA file makes the server's certificate trusted; without it the
// error says which roots did not trust it; an unusable CA file is refused.
func TestCAFile(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"a": 1}`)) }))
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	roots, err := httpsource.LoadCAFile(ca)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := newClient(t, httpsource.Options{RootCAs: roots, RootsName: "ca_file " + ca}).Do(context.Background(), &httpsource.Request{URL: srv.URL})
	if err != nil {
		t.Fatalf("with the CA file: %v", err)
	}
	var v struct{ A int }
	if err := resp.DecodeJSON(&v); err != nil || v.A != 1 {
		t.Errorf("DecodeJSON = %v, %+v", err, v)
	}
	_, err = newClient(t, httpsource.Options{}).Do(context.Background(), &httpsource.Request{URL: srv.URL})
	sourcetest.WantError(t, err, "ServerCertificateUntrusted", false, "not signed by a CA in the system's roots")

	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, httpsource.MaxCAFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{big: "larger than", notPEM: "holds no PEM certificate", filepath.Join(dir, "none"): "reading CA file"} {
		_, err := httpsource.LoadCAFile(path)
		sourcetest.WantError(t, err, "InvalidCA", false, want, path)
	}
}

// TestDecodeJSONQuotesNothing: decoding errors say where, not what.
func TestDecodeJSONQuotesNothing(t *testing.T) {
	const secret = "wJalrXUtnFEMI-secret"
	for body, want := range map[string]string{
		`{"Key": "` + secret: "invalid JSON",
		`["` + secret + `"]`: "a JSON array, not an object",
		`{"Key": 42}`:        "field Key is a JSON number",
		secret:               "invalid JSON near byte 1",
	} {
		var v struct{ Key string }
		err := (&httpsource.Response{Body: []byte(body)}).DecodeJSON(&v)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), secret) {
			t.Errorf("DecodeJSON(%q) = %v, want %q without the secret", body, err, want)
		}
	}
}
