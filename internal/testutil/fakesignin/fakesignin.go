package fakesignin

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/clock"
)

// ClientID is the OAuth client of `aws login` on the same device, as the AWS CLI
// writes it into the cache file.
const ClientID = "arn:aws:signin:::devtools/same-device"

// Options configures Start.
type Options struct {
	// Clock is the server's time, for iat and session expiry; nil means the real one.
	Clock clock.Clock
	// Window is how far iat may be from the server's time, either way; zero means one
	// minute.
	Window time.Duration
	// CredentialLifetime is the expiresIn of the credentials issued; zero means 15
	// minutes, the most the real service gives.
	CredentialLifetime time.Duration
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:PORT; the token endpoint is
	// URL + "/v1/token".
	URL string

	opts Options

	mu       sync.Mutex
	seq      int
	sessions map[string]*state // by login session
	refresh  map[string]*state // by live refresh token
	spent    map[string]bool   // retired refresh tokens
	jtis     map[string]time.Time
	calls    []Call
	fail     *failure
	onToken  func()
}

// state is one login session as the service knows it.
type state struct {
	name     string
	key      *ecdsa.PublicKey
	clientID string
	expires  time.Time
}

type failure struct {
	status      int
	code, error string
}

// Call is one request to the token endpoint and how it was answered.
type Call struct {
	// Status is the HTTP status of the answer; Code the error's __type, or "".
	Status int
	Code   string
	// Reason says why a request was refused, for test failures.
	Reason string
	// RefreshToken is the refresh token the request spent; AccessKeyID the access key
	// issued, if any.
	RefreshToken string
	AccessKeyID  string
	// JTI is the proof's jti.
	JTI string
}

// Start starts a fake that knows no session yet. It stops when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Window == 0 {
		opts.Window = time.Minute
	}
	if opts.CredentialLifetime == 0 {
		opts.CredentialLifetime = 15 * time.Minute
	}
	s := &Server{opts: opts, sessions: map[string]*state{}, refresh: map[string]*state{}, spent: map[string]bool{}, jtis: map[string]time.Time{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/token", s.token)
	srv := httptest.NewServer(mux)
	s.URL = srv.URL
	t.Cleanup(srv.Close)
	return s
}

// Session is a login session made by `aws login`, as its cache file holds it.
type Session struct {
	// Name is the login_session value: the ARN of the signed-in identity.
	Name      string
	AccountID string
	ClientID  string
	// Key is the DPoP key the session is bound to.
	Key *ecdsa.PrivateKey
	// RefreshToken is the session's first refresh token.
	RefreshToken string
	// AccessKeyID, SecretAccessKey and SessionToken are the credentials `aws login`
	// wrote with it.
	AccessKeyID, SecretAccessKey, SessionToken string
}

// NewSession signs a user in, as `aws login` would: a fresh P-256 DPoP key bound to a
// new session of name (an ARN), in account, that lasts lifetime.
func (s *Server) NewSession(t testing.TB, name, account string, lifetime time.Duration) *Session {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	sess := &Session{
		Name: name, AccountID: account, ClientID: ClientID, Key: key,
		RefreshToken:    fmt.Sprintf("fake-signin-refresh-token-%d-%s", s.seq, rand.Text()),
		AccessKeyID:     fmt.Sprintf("ASIAFAKESIGNIN%06d", s.seq),
		SecretAccessKey: fmt.Sprintf("fake-signin-secret-access-key-%d-%s", s.seq, rand.Text()),
		SessionToken:    fmt.Sprintf("fake-signin-session-token-%d-%s", s.seq, rand.Text()),
	}
	st := &state{name: name, key: &key.PublicKey, clientID: ClientID, expires: s.opts.Clock.Now().Add(lifetime)}
	s.sessions[name] = st
	s.refresh[sess.RefreshToken] = st
	return sess
}

// CacheJSON returns the session's cache file, as `aws login` writes it, with
// credentials that expire at expires.
func (sess *Session) CacheJSON(t testing.TB, expires time.Time) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(sess.Key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(map[string]any{
		"accessToken": map[string]any{
			"accessKeyId":     sess.AccessKeyID,
			"secretAccessKey": sess.SecretAccessKey,
			"sessionToken":    sess.SessionToken,
			"accountId":       sess.AccountID,
			"expiresAt":       expires.UTC().Format("2006-01-02T15:04:05Z"),
		},
		"tokenType":     "aws_sigv4",
		"refreshToken":  sess.RefreshToken,
		"identityToken": "fake-signin-id-token",
		"clientId":      sess.ClientID,
		"dpopKey":       string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})),
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// CacheFile returns the path of the cache file of login session name in dir: the
// lower-case hex SHA-256 of the name, and ".json", as the AWS CLI and SDKs name it.
func CacheFile(dir, name string) string {
	sum := sha256.Sum256([]byte(name))
	return filepath.Join(dir, hex.EncodeToString(sum[:])+".json")
}

// WriteCache writes the session's cache file into dir (created 0700 if needed) with
// mode 0600 and returns its path.
func (sess *Session) WriteCache(t testing.TB, dir string, expires time.Time) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := CacheFile(dir, sess.Name)
	if err := os.WriteFile(path, sess.CacheJSON(t, expires), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Secrets returns the session's secrets: its refresh token, credentials and key, for
// tests that check they are never shown.
func (sess *Session) Secrets() []string {
	der, _ := x509.MarshalECPrivateKey(sess.Key)
	p := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	return []string{sess.RefreshToken, sess.SecretAccessKey, sess.SessionToken, p[40:80]}
}

// Expire ends the session name: its refresh tokens are refused with TOKEN_EXPIRED
// from now on.
func (s *Server) Expire(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.sessions[name]; st != nil {
		st.expires = s.opts.Clock.Now().Add(-time.Second)
	}
}

// Fail makes every later request fail with status and the error's __type and error
// code (e.g. 500, "InternalServerException", "server_error"); status 0 stops failing.
func (s *Server) Fail(status int, code, errorCode string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = nil
	if status != 0 {
		s.fail = &failure{status: status, code: code, error: errorCode}
	}
}

// OnToken sets a function called at the start of every token request, before it is
// checked or answered (e.g. to play another program that renews the session first).
// It may make requests to the fake itself.
func (s *Server) OnToken(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onToken = f
}

// Calls returns the requests received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Issued returns how many credentials the fake has issued.
func (s *Server) Issued() int {
	n := 0
	for _, c := range s.Calls() {
		if c.AccessKeyID != "" {
			n++
		}
	}
	return n
}
