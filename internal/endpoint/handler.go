package endpoint

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
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
// to callers that present the token.
type Handler struct {
	src    Source
	token  []byte
	roles  map[string]aws.CredentialsProvider
	logger hclog.Logger
	now    func() time.Time
}

// Option configures a Handler.
type Option func(*Handler)

// WithLogger logs each request at debug level (role, status, remote address; never the
// token or credentials) and failures at warn level. The default discards logs.
func WithLogger(l hclog.Logger) Option { return func(h *Handler) { h.logger = l } }

// WithNow replaces time.Now, used for the Expiration of credentials that never expire.
func WithNow(now func() time.Time) Option { return func(h *Handler) { h.now = now } }

// NewHandler returns a handler serving roles from src to requests that carry token.
// Every role must be known to src; roles not listed answer 404.
func NewHandler(src Source, token string, roles []string, opts ...Option) (*Handler, error) {
	if len(token) < 2*TokenBytes {
		return nil, fmt.Errorf("endpoint: the token must have at least %d characters (see NewToken)", 2*TokenBytes)
	}
	if len(roles) == 0 {
		return nil, errors.New("endpoint: no role to serve")
	}
	h := &Handler{src: src, token: []byte(token), roles: map[string]aws.CredentialsProvider{},
		logger: hclog.NewNullLogger(), now: time.Now}
	for _, r := range roles {
		p, err := src.Provider(r)
		if err != nil {
			return nil, err
		}
		h.roles[r] = p
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
// the token learns nothing about the roles: Host header (loopback names only, against
// DNS rebinding), Authorization (401 missing, 403 wrong), method (405 unless GET or
// HEAD), role (404), credentials (500 or 503).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	status, role := h.serve(w, r)
	h.logger.Debug("credentials request", "role", role, "status", status, "remote", r.RemoteAddr)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) (int, string) {
	if !loopbackHost(r.Host) {
		return writeError(w, http.StatusForbidden, "HostNotAllowed", "this endpoint answers only requests addressed to a loopback host"), ""
	}
	got, ok := r.Header["Authorization"]
	if !ok || len(got) == 0 || got[0] == "" {
		return writeError(w, http.StatusUnauthorized, "MissingToken",
			"send the token in the Authorization header (AWS SDKs do this when AWS_CONTAINER_AUTHORIZATION_TOKEN is set)"), ""
	}
	tok := strings.TrimPrefix(got[0], "Bearer ")
	if len(got) != 1 || subtle.ConstantTimeCompare([]byte(tok), h.token) != 1 {
		return writeError(w, http.StatusForbidden, "InvalidToken", "the Authorization header does not hold this endpoint's token"), ""
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		return writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "use GET"), ""
	}
	name, ok := strings.CutPrefix(r.URL.Path, PathPrefix)
	p := h.roles[name]
	if !ok || p == nil {
		return writeError(w, http.StatusNotFound, "UnknownRole", fmt.Sprintf("no role is served at %s; paths are %sROLE", r.URL.Path, PathPrefix)), ""
	}

	creds, err := p.Retrieve(r.Context())
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

func writeError(w http.ResponseWriter, status int, code, msg string) int {
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
