package ssotest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of both APIs, e.g. http://127.0.0.1:PORT.
	URL string

	srv *httptest.Server

	mu            sync.Mutex
	seq           int
	accessTokens  map[string]bool
	refreshTokens map[string]bool
	clients       map[string]string // client ID -> client secret
	roles         map[role]bool
	portalFail    *failure
	oidcFail      *failure
	onCreateToken func()
	portalCalls   []PortalCall
	tokenCalls    []TokenCall

	tokenLifetime      time.Duration
	credentialLifetime time.Duration
	keepRefreshToken   bool
}

type role struct{ account, name string }

type failure struct {
	status            int
	code, message     string
	oauthError, descr string
}

// PortalCall is a GetRoleCredentials request the fake received.
type PortalCall struct {
	AccessToken, AccountID, RoleName string
	// Status is the HTTP status of the answer.
	Status int
	// AccessKeyID is the access key ID of the credentials issued, if any.
	AccessKeyID string
}

// TokenCall is a CreateToken request the fake received.
type TokenCall struct {
	GrantType, ClientID, ClientSecret, RefreshToken string
	// Status is the HTTP status of the answer.
	Status int
	// AccessToken is the access token issued, if any.
	AccessToken string
}

// Start starts a fake that knows no token, client or role yet, issues access tokens
// that last an hour and role credentials that last an hour, and rotates refresh
// tokens. It stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		accessTokens:       map[string]bool{},
		refreshTokens:      map[string]bool{},
		clients:            map[string]string{},
		roles:              map[role]bool{},
		tokenLifetime:      time.Hour,
		credentialLifetime: time.Hour,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /federation/credentials", s.getRoleCredentials)
	mux.HandleFunc("POST /token", s.createToken)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// AddAccessToken makes the portal accept tok.
func (s *Server) AddAccessToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessTokens[tok] = true
}

// RevokeAccessToken makes the portal refuse tok from now on.
func (s *Server) RevokeAccessToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.accessTokens, tok)
}

// AddClient registers an OIDC client, as RegisterClient would have.
func (s *Server) AddClient(id, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[id] = secret
}

// AddRefreshToken makes CreateToken accept tok once (refresh tokens rotate: each use
// returns a new one and retires the old, unless KeepRefreshTokens was called).
func (s *Server) AddRefreshToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshTokens[tok] = true
}

// KeepRefreshTokens makes CreateToken answer without a refreshToken and keep
// accepting the one it was given, as a service that does not rotate them would.
func (s *Server) KeepRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keepRefreshToken = true
}

// AssignRole lets every valid access token get credentials for roleName in account.
func (s *Server) AssignRole(account, roleName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roles[role{account, roleName}] = true
}

// SetTokenLifetime sets the lifetime of the access tokens CreateToken issues
// (expiresIn, in whole seconds).
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenLifetime = d
}

// SetCredentialLifetime sets the lifetime of the role credentials the portal issues.
func (s *Server) SetCredentialLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.credentialLifetime = d
}

// FailPortal makes every later GetRoleCredentials fail with status and the AWS error
// code and message; status 0 stops failing.
func (s *Server) FailPortal(status int, code, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.portalFail = nil
	if status != 0 {
		s.portalFail = &failure{status: status, code: code, message: message}
	}
}

// FailOIDC makes every later CreateToken fail with status, the AWS error code and the
// OAuth error and description (e.g. 400, "InvalidGrantException", "invalid_grant",
// "Invalid refresh token provided"); status 0 stops failing.
func (s *Server) FailOIDC(status int, code, oauthError, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oidcFail = nil
	if status != 0 {
		s.oidcFail = &failure{status: status, code: code, oauthError: oauthError, descr: description}
	}
}

// OnCreateToken sets a function called at the start of every CreateToken request,
// before it is answered (e.g. to play another process that rewrites the cache).
func (s *Server) OnCreateToken(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onCreateToken = f
}

// PortalCalls returns the GetRoleCredentials requests received so far.
func (s *Server) PortalCalls() []PortalCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]PortalCall(nil), s.portalCalls...)
}

// TokenCalls returns the CreateToken requests received so far.
func (s *Server) TokenCalls() []TokenCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]TokenCall(nil), s.tokenCalls...)
}
