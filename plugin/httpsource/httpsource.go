package httpsource

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/shared"
)

// Defaults for the zero values of Options.
const (
	// DefaultTimeout bounds one request when Options.Timeout is zero.
	DefaultTimeout = 10 * time.Second
	// DefaultMaxBody bounds an answer's body when Options.MaxBody is zero: a
	// credentials document is about 2 KB.
	DefaultMaxBody = 64 << 10
	// DefaultMaxRetryWait is the longest Retry-After waited out when
	// Options.MaxRetryWait is zero.
	DefaultMaxRetryWait = 2 * time.Second
	// MaxCAFile bounds the CA bundle LoadCAFile reads; the system-wide bundle
	// is about 250 KB.
	MaxCAFile = 4 << 20
)

// Options configures a Client. The zero value is usable: system roots, the
// environment's proxy, the defaults above.
type Options struct {
	// Timeout bounds each request, from dialing to the last byte of the body. The
	// context's deadline applies as well. Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxBody bounds the body read from an answer. Zero means DefaultMaxBody.
	MaxBody int64
	// MaxRetryWait is the longest Retry-After that a 429 or 503 answer is waited out
	// for before the request is sent once more. Zero means DefaultMaxRetryWait; a
	// negative value never waits.
	MaxRetryWait time.Duration
	// RootCAs are the authorities that verify servers; nil means the system's roots.
	// LoadCAFile reads them from a PEM file.
	RootCAs *x509.CertPool
	// RootsName names RootCAs in messages, e.g. "ca_file /etc/vault/ca.pem"; empty
	// means "the configured roots" ("the system's roots" without RootCAs).
	RootsName string
	// Certificates are the client certificates presented to servers that ask.
	Certificates []tls.Certificate
	// AllowAddr, if set, is asked about every address a connection is about to be
	// made to, after name resolution; a refused address is a permanent
	// "HostNotAllowed" error.
	AllowAddr func(netip.Addr) bool
	// NoProxy sends requests directly, never through the environment's proxy
	// (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), which would see the request's headers.
	NoProxy bool
	// DisableKeepAlives closes each connection after its request, e.g. when the next
	// refresh may present another client certificate.
	DisableKeepAlives bool
	// UserAgent is sent as User-Agent, e.g. "brs-plugin-vault".
	UserAgent string
	// Advice maps an error code (of this package's errors or StatusError's) to the
	// advice that ends the message, e.g. {"Timeout": "raise timeout if the server is
	// always this slow"}, instead of the package's own (an empty string: none).
	Advice map[string]string
}

// Client sends a source's requests. It is safe for concurrent use; make one per
// configuration and keep it, so that connections are reused.
type Client struct {
	http         *http.Client
	timeout      time.Duration
	maxBody      int64
	maxRetryWait time.Duration
	rootsName    string
	userAgent    string
	advice       map[string]string
	clock        clock.Clock
}

// New returns a client configured by opts.
func New(opts Options) *Client {
	c := &Client{
		timeout: opts.Timeout, maxBody: opts.MaxBody, maxRetryWait: opts.MaxRetryWait,
		rootsName: opts.RootsName, userAgent: opts.UserAgent, advice: opts.Advice, clock: clock.Real{},
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBody
	}
	if c.maxRetryWait == 0 {
		c.maxRetryWait = DefaultMaxRetryWait
	}
	roots := opts.RootCAs
	switch {
	case roots == nil:
		c.rootsName = "the system's roots"
	case c.rootsName == "":
		c.rootsName = "the configured roots"
	}
	d := &net.Dialer{Timeout: c.timeout, KeepAlive: 30 * time.Second}
	if allow := opts.AllowAddr; allow != nil {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !allow(ap.Addr()) {
				return &addrNotAllowedError{addr: address}
			}
			return nil
		}
	}
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   c.timeout,
		ResponseHeaderTimeout: c.timeout,
		DisableKeepAlives:     opts.DisableKeepAlives,
		// Bounds what the server may send in headers, which are read before the body
		// limit applies.
		MaxResponseHeaderBytes: 64 << 10,
		TLSClientConfig: &tls.Config{
			MinVersion:   tls.VersionTLS12,
			RootCAs:      roots,
			Certificates: opts.Certificates,
		},
	}
	if opts.NoProxy {
		t.Proxy = nil
	}
	c.http = &http.Client{
		Transport: t,
		// No redirect is followed, to any host: the 3xx answer is returned and
		// StatusError makes it a permanent error.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return c
}

// CloseIdleConnections closes the connections kept for reuse.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// LoadCAFile reads a PEM bundle of certificate authorities, at most MaxCAFile bytes,
// for Options.RootCAs. Its errors are permanent *shared.Error with code "InvalidCA"
// that name the file and never quote it.
func LoadCAFile(path string) (*x509.CertPool, error) {
	b, err := boundedfile.ReadFile(path, MaxCAFile)
	switch {
	case errors.Is(err, boundedfile.ErrTooLarge):
		return nil, shared.Permanent("InvalidCA", "CA file %s is larger than %s; check that it is a PEM bundle", path, boundedfile.Size(MaxCAFile))
	case err != nil:
		reason := err.Error()
		var fe *boundedfile.Error
		if errors.As(err, &fe) {
			reason = fe.Reason
		}
		return nil, shared.Permanent("InvalidCA", "reading CA file %s: %s; check the path and the file's permissions", path, reason)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, shared.Permanent("InvalidCA", "CA file %s holds no PEM certificate (BEGIN CERTIFICATE)", path)
	}
	return pool, nil
}

// Request is one request to send.
type Request struct {
	// Method is the HTTP method; empty means GET.
	Method string
	// URL is the absolute http or https URL.
	URL string
	// Header holds the request's headers. Values of headers that may carry a secret
	// (see the package documentation) never appear in an error.
	Header http.Header
	// Body is the request's body, if any; it is sent again if the request is retried
	// after a Retry-After.
	Body []byte
	// Timeout bounds this request instead of Options.Timeout, if positive.
	Timeout time.Duration
	// Secrets are more values that no error may hold, such as a token sent in the
	// body. Values shorter than 6 bytes are not redacted, as they could match
	// innocent text.
	Secrets []string
}

// Response is an answer, its body read in full (at most MaxBody bytes).
type Response struct {
	// StatusCode is the answer's HTTP status code.
	StatusCode int
	// Header holds the answer's headers.
	Header http.Header
	// Body is the answer's body.
	Body []byte
	// Where is the method and URL as messages show them: scheme, host and path,
	// without user information or query, e.g. "GET https://vault:8200/v1/aws/creds/x".
	Where string

	secrets    []string
	retryAfter time.Duration // what Retry-After asked for, if it was not waited out
	client     *Client
}

// minSecretLen is the shortest secret redacted; shorter ones could match innocent text.
const minSecretLen = 6

// Do sends req and reads the answer, whatever its status; see StatusError for one
// the source cannot use. Its errors are *shared.Error: a request that got no answer,
// or an answer whose body is larger than MaxBody.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, shared.Permanent("InvalidConfig", "%s: not an absolute http or https URL", method)
	}
	where := method + " " + (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	secrets := append(sensitiveValues(req.Header), req.Secrets...)
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			secrets = append(secrets, p)
		}
	}
	if u.RawQuery != "" {
		secrets = append(secrets, u.RawQuery)
		for _, vs := range u.Query() {
			secrets = append(secrets, vs...)
		}
	}
	for attempt := 0; ; attempt++ {
		resp, err := c.do(ctx, method, req, where, secrets)
		if err != nil {
			return nil, err
		}
		wait, ok := retryAfter(resp, c.clock.Now())
		if !ok {
			return resp, nil
		}
		if attempt > 0 || c.maxRetryWait < 0 || wait > c.maxRetryWait || !fitsDeadline(ctx, c.clock.Now().Add(wait)) {
			resp.retryAfter = wait
			return resp, nil
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, c.requestError(ctx, err, where, c.timeout, secrets)
		}
	}
}

// do sends the request once.
func (c *Client) do(ctx context.Context, method string, req *Request, where string, secrets []string) (*Response, error) {
	timeout := c.timeout
	if req.Timeout > 0 {
		timeout = req.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if req.Body != nil {
		body = strings.NewReader(string(req.Body))
	}
	hreq, err := http.NewRequestWithContext(ctx, method, req.URL, body)
	if err != nil {
		return nil, shared.Permanent("InvalidConfig", "%s: %s", where, redact(err.Error(), secrets))
	}
	for k, vs := range req.Header {
		hreq.Header[k] = append([]string(nil), vs...)
	}
	if c.userAgent != "" && hreq.Header.Get("User-Agent") == "" {
		hreq.Header.Set("User-Agent", c.userAgent)
	}
	resp, err := c.http.Do(hreq)
	if err != nil {
		return nil, c.requestError(ctx, err, where, timeout, secrets)
	}
	defer resp.Body.Close()
	// The body is read under the same context: a server that stops sending mid-body
	// while keeping the connection open meets the deadline.
	b, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, c.requestError(ctx, err, where, timeout, secrets)
	}
	if int64(len(b)) > c.maxBody {
		return nil, c.errorf(shared.Retryable, "InvalidResponse", secrets, "",
			"%s: the answer (HTTP %d) is larger than %d bytes, more than this source reads", where, resp.StatusCode, c.maxBody)
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: b, Where: where, secrets: secrets, client: c}, nil
}

// sleep waits d on the client's clock, or until ctx ends.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	done := make(chan struct{})
	stop := c.clock.AfterFunc(d, func() { close(done) })
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		stop()
		return ctx.Err()
	}
}

// fitsDeadline reports whether t comes before ctx's deadline, if it has one.
func fitsDeadline(ctx context.Context, t time.Time) bool {
	d, ok := ctx.Deadline()
	return !ok || t.Before(d)
}

// errorf makes an error with mk (shared.Retryable or shared.Permanent), its message
// followed by the advice for code (Options.Advice's, else def) and redacted of
// secrets.
func (c *Client) errorf(mk func(code, format string, args ...any) *shared.Error, code string, secrets []string, def, format string, args ...any) *shared.Error {
	msg := fmt.Sprintf(format, args...)
	advice, ok := c.advice[code]
	if !ok {
		advice = def
	}
	if advice != "" {
		msg += "; " + advice
	}
	return mk(redact(code, secrets), "%s", redact(msg, secrets))
}

// redact replaces every secret in msg.
func redact(msg string, secrets []string) string { return shared.Redact(msg, secrets, minSecretLen) }

// sensitiveWords mark a header whose value may be a secret.
var sensitiveWords = []string{"AUTH", "TOKEN", "SECRET", "KEY", "SESSION", "PASSWORD", "COOKIE", "CREDENTIAL", "SIGNATURE"}

// Sensitive reports whether the header called name may carry a secret, so that its
// value never appears in an error: Authorization, Proxy-Authorization, Cookie, and
// any name that holds auth, token, secret, key, session, password, credential or
// signature, in any case (X-Vault-Token, X-Api-Key).
func Sensitive(name string) bool {
	up := strings.ToUpper(name)
	for _, w := range sensitiveWords {
		if strings.Contains(up, w) {
			return true
		}
	}
	return false
}

// sensitiveValues returns the values of h's sensitive headers, and for an
// Authorization header its credentials without the scheme ("Bearer ").
func sensitiveValues(h http.Header) []string {
	var out []string
	for k, vs := range h {
		if !Sensitive(k) {
			continue
		}
		for _, v := range vs {
			out = append(out, v)
			if _, cred, ok := strings.Cut(v, " "); ok {
				out = append(out, strings.TrimSpace(cred))
			}
		}
	}
	return out
}
