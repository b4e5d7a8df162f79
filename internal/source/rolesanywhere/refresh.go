package rolesanywhere

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/shared"
)

const (
	// maxBody bounds the answer read; a CreateSession answer is about 2 KB.
	maxBody = 64 << 10
	// userAgent names brs to the endpoint.
	userAgent = "brs-plugin-roles_anywhere"
)

// Refresh reads the certificate, chain and key, signs a CreateSession request with
// the key and returns the credentials of the answer. Errors are *shared.Error:
// permanent for unusable files, refusals and 4xx answers, retryable for 5xx,
// throttling and network failures.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config, req.Region, req.Endpoint)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("roles_anywhere", ds)
	}
	if req.Source != nil {
		return shared.Credentials{}, shared.Permanent("InvalidConfig", "%s", noSourceRole)
	}
	id, err := s.loadIdentity(ctx, r.stderr, time.Now())
	if err != nil {
		return shared.Credentials{}, err
	}
	return s.createSession(ctx, newClient(), id)
}

// createSession sends one signed CreateSession request and converts the answer.
func (s settings) createSession(ctx context.Context, client *http.Client, id identity) (shared.Credentials, error) {
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()

	u := *s.endpoint
	u.Path = "/sessions"
	u.RawQuery = url.Values{"profileArn": {s.ProfileARN}, "roleArn": {s.RoleARN}, "trustAnchorArn": {s.TrustAnchorARN}}.Encode()
	where := s.endpoint.String() + "/sessions"

	in := struct {
		DurationSeconds int64  `json:"durationSeconds"`
		RoleSessionName string `json:"roleSessionName,omitempty"`
	}{int64(s.duration / time.Second), s.SessionName}
	body, err := json.Marshal(in)
	if err != nil {
		return shared.Credentials{}, shared.Permanent("InvalidConfig", "POST %s: %v", where, err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return shared.Credentials{}, shared.Permanent("InvalidConfig", "POST %s: %v", where, err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", userAgent)
	if err := sign(hreq, body, id, s.region, time.Now()); err != nil {
		return shared.Credentials{}, shared.Permanent("SigningFailed", "POST %s: %v", where, err)
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return shared.Credentials{}, s.requestError(ctx, err, where)
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return shared.Credentials{}, s.requestError(ctx, err, where)
	}
	if len(rb) > maxBody {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "POST %s: the answer (HTTP %d) is larger than %d bytes, which no CreateSession answer is; check endpoint",
			where, resp.StatusCode, maxBody)
	}
	// Roles Anywhere answers 201 Created; any 2xx is success, as for the AWS SDKs.
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return shared.Credentials{}, s.statusError(resp.StatusCode, rb, where)
	}
	return parseCredentials(rb, where, time.Now())
}

// newClient returns an HTTP client for one refresh: it trusts the system's roots,
// goes through the environment's proxy if one is set, and follows no redirect.
func newClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	return &http.Client{
		Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
