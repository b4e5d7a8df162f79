package endpoint

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/shared"
)

// PathPrefix is the path under which each role is served: PathPrefix + role name.
const PathPrefix = "/roles/"

// StaticRecheck is the Expiration reported for credentials that never expire. botocore
// requires an Expiration in every answer; an hour from now makes SDKs ask again now
// and then, so a source that rotates its static keys is picked up.
const StaticRecheck = time.Hour

// Source gives the handler a role's credentials. *host.Host implements it.
type Source interface {
	// Provider returns the role's credentials provider. Its Retrieve reports as
	// Expires the start of the role's mandatory refresh window, not the real expiry.
	Provider(role string) (aws.CredentialsProvider, error)
	// Credentials returns the role's credentials as the source gave them; the handler
	// uses it only to learn the role's ARN.
	Credentials(ctx context.Context, role string) (shared.Credentials, error)
}

// Handler is the credentials endpoint: an http.Handler that serves GET PathPrefix+ROLE
// to callers that present the role's token.
type Handler struct {
	src   Source
	roles map[string]served
	// tokens holds the SHA-256 of every token the handler accepts, so that a token is
	// looked up without a comparison whose time depends on the token.
	tokens map[[sha256.Size]byte]bool
	logger hclog.Logger
	now    func() time.Time
}

// served is one role of a Handler: its provider and the SHA-256 of its token.
type served struct {
	provider aws.CredentialsProvider
	token    [sha256.Size]byte
}

// Option configures a Handler.
type Option func(*Handler)

// WithLogger logs each request at debug level (role, status, remote address; never the
// token or credentials) and failures at warn level. The default discards logs.
func WithLogger(l hclog.Logger) Option { return func(h *Handler) { h.logger = l } }

// WithNow replaces time.Now, used for the Expiration of credentials that never expire.
func WithNow(now func() time.Time) Option { return func(h *Handler) { h.now = now } }

// NewHandler returns a handler serving roles from src to requests that carry token,
// one token for every role. Every role must be known to src; roles not listed answer
// 404.
func NewHandler(src Source, token string, roles []string, opts ...Option) (*Handler, error) {
	tokens := make(map[string]string, len(roles))
	for _, r := range roles {
		tokens[r] = token
	}
	return NewPerRoleHandler(src, tokens, opts...)
}

// NewPerRoleHandler returns a handler serving each role of tokens (role name → token)
// from src to the requests that carry that role's token: a role's token does not
// reach another role (403). Every role must be known to src; roles not listed answer
// 404 to a caller with a valid token.
func NewPerRoleHandler(src Source, tokens map[string]string, opts ...Option) (*Handler, error) {
	if len(tokens) == 0 {
		return nil, errors.New("endpoint: no role to serve")
	}
	h := &Handler{src: src, roles: make(map[string]served, len(tokens)), tokens: map[[sha256.Size]byte]bool{},
		logger: hclog.NewNullLogger(), now: time.Now}
	for _, r := range slices.Sorted(maps.Keys(tokens)) {
		token := tokens[r]
		if len(token) < 2*TokenBytes {
			return nil, fmt.Errorf("endpoint: role %q: the token must have at least %d characters (see NewToken)", r, 2*TokenBytes)
		}
		p, err := src.Provider(r)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256([]byte(token))
		h.roles[r] = served{provider: p, token: sum}
		h.tokens[sum] = true
	}
	for _, o := range opts {
		o(h)
	}
	return h, nil
}

// response is the document the AWS SDKs' container credentials providers read.
// Token and Expiration are always present: botocore fails on an answer without them.
type response struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Expiration      string `json:"Expiration"`
	AccountID       string `json:"AccountId,omitempty"`
	RoleArn         string `json:"RoleArn,omitempty"`
}

// errorResponse is the error document the SDKs read (endpointcreds.EndpointError).
type errorResponse struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ServeHTTP answers one request. Checks come in this order, so that a caller without
// a token learns nothing about the roles: request body (413: the endpoint reads
// none), Host header (loopback names only, against DNS rebinding), Authorization (401
// missing, 403 not a token of this endpoint), method (405 unless GET or HEAD), role
// (404), the role's own token (403), credentials (500 or 503). Every refusal closes
// the connection, so a caller without the token cannot hold one open.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	status, role := h.serve(w, r)
	h.logger.Debug("credentials request", "role", role, "status", status, "remote", r.RemoteAddr)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) (int, string) {
	if r.ContentLength != 0 || len(r.TransferEncoding) > 0 {
		// net/http reads what is left of a body after the handler, to reuse the
		// connection: a client that announces a body and never sends it would hold
		// the connection until ReadTimeout. Reading nothing more ends that at once.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now())
		return writeError(w, http.StatusRequestEntityTooLarge, "BodyNotAllowed", "this endpoint reads no request body: send a GET without one"), ""
	}
	if !loopbackHost(r.Host) {
		return writeError(w, http.StatusForbidden, "HostNotAllowed", "this endpoint answers only requests addressed to a loopback host"), ""
	}
	got, ok := r.Header["Authorization"]
	if !ok || len(got) == 0 || got[0] == "" {
		return writeError(w, http.StatusUnauthorized, "MissingToken",
			"send the token in the Authorization header (AWS SDKs do this when AWS_CONTAINER_AUTHORIZATION_TOKEN is set)"), ""
	}
	sum := sha256.Sum256([]byte(strings.TrimPrefix(got[0], "Bearer ")))
	if len(got) != 1 || !h.tokens[sum] {
		return writeError(w, http.StatusForbidden, "InvalidToken", "the Authorization header does not hold this endpoint's token"), ""
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		return writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "use GET"), ""
	}
	name, ok := strings.CutPrefix(r.URL.Path, PathPrefix)
	role, known := h.roles[name]
	if !ok || !known {
		return writeError(w, http.StatusNotFound, "UnknownRole", fmt.Sprintf("no role is served at %s; paths are %sROLE", r.URL.Path, PathPrefix)), ""
	}
	if subtle.ConstantTimeCompare(sum[:], role.token[:]) != 1 {
		return writeError(w, http.StatusForbidden, "InvalidToken",
			"the Authorization header holds the token of another role: each role of this endpoint has its own token"), ""
	}

	creds, err := role.provider.Retrieve(r.Context())
	if err != nil {
		se := shared.AsError(err)
		status := http.StatusInternalServerError
		if se.Retryable {
			status = http.StatusServiceUnavailable
		}
		// The host's errors name the role, the source and the cause, and carry no
		// secrets: the host redacts them.
		h.logger.Warn("no credentials to serve", "role", name, "error", err)
		return writeError(w, status, se.Code, err.Error()), name
	}
	doc := response{
		AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, Token: creds.SessionToken,
		AccountID: creds.AccountID,
	}
	// creds.Expires is the start of the role's mandatory window, not the real expiry:
	// an SDK that caches the answer until then comes back after brs's background
	// refresh (which starts earlier, at the advisory window) and before the old
	// credentials stop working.
	if creds.CanExpire {
		doc.Expiration = creds.Expires.UTC().Format(time.RFC3339)
	} else {
		doc.Expiration = h.now().Add(StaticRecheck).UTC().Format(time.RFC3339)
	}
	// The ARN, when the source knows it, of these same credentials: a cached read.
	if full, err := h.src.Credentials(r.Context(), name); err == nil && full.AccessKeyID == creds.AccessKeyID {
		doc.RoleArn = full.ARN
	}
	return writeJSON(w, http.StatusOK, doc), name
}

// loopbackHost reports whether a Host header names a loopback address or localhost.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// writeError answers an error document and closes the connection after it: a refused
// caller does not keep a connection, and a client that was refused retries afresh.
func writeError(w http.ResponseWriter, status int, code, msg string) int {
	w.Header().Set("Connection", "close")
	return writeJSON(w, status, errorResponse{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"code":"InternalError","message":"encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
	return status
}
