package ecs

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

const (
	// maxBody bounds the answer read from the endpoint; a credentials document is
	// about 2 KB.
	maxBody = 64 << 10
	// maxTokenFile bounds the token file; an EKS Pod Identity token is about 1 KB.
	maxTokenFile = 64 << 10
	// userAgent names brs to the endpoint's logs.
	userAgent = "brs-plugin-ecs"
)

// Refresh fetches credentials from the configured endpoint. Errors are *shared.Error:
// permanent for refusals (401, 403, 404), bad configuration and unreadable token files,
// retryable for server errors (5xx, 429), network failures and malformed answers. No
// message holds the token or any part of a successful answer but its expiry.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("ecs", ds)
	}
	token, err := s.authorization()
	if err != nil {
		return shared.Credentials{}, err
	}
	return r.fetch(ctx, s, token)
}

// fetch sends one request to the endpoint and converts its answer. The client redacts
// the token (the Authorization header) from every error.
func (r *Refresher) fetch(ctx context.Context, s settings, token string) (shared.Credentials, error) {
	hreq := &httpsource.Request{URL: s.endpoint.String(), Timeout: s.timeout, Header: http.Header{"Accept": {"application/json"}}}
	if token != "" {
		hreq.Header.Set("Authorization", token)
	}
	client := r.secure
	if s.endpoint.Scheme == "http" {
		client = r.plain
	}
	resp, err := client.Do(ctx, hreq)
	if err != nil {
		return shared.Credentials{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return shared.Credentials{}, statusError(resp, s)
	}
	return parseCredentials(resp)
}

// authorization returns the Authorization header value: token, or the contents of
// token_file read now, so that a rotated token is picked up, trimmed of surrounding
// whitespace.
func (s settings) authorization() (string, error) {
	if s.TokenFile == "" {
		return s.Token, nil
	}
	b, err := boundedfile.ReadFile(s.TokenFile, maxTokenFile)
	if errors.Is(err, boundedfile.ErrTooLarge) {
		return "", shared.Permanent("TokenFileError", "token_file %s is larger than %s; check that it is the token file", s.TokenFile, boundedfile.Size(maxTokenFile))
	}
	if err != nil {
		return "", tokenFileError(s.TokenFile, err)
	}
	token := strings.TrimSpace(string(b))
	switch {
	case token == "":
		return "", shared.Permanent("TokenFileError", "token_file %s is empty; check what writes it (for EKS Pod Identity, the pod's projected service account token)", s.TokenFile)
	case strings.ContainsAny(token, "\r\n"):
		return "", shared.Permanent("TokenFileError", "token_file %s holds more than one line, which an HTTP header cannot carry; it must hold the token alone", s.TokenFile)
	}
	return token, nil
}

// tokenFileError describes a token file that cannot be read, without its contents.
func tokenFileError(path string, err error) *shared.Error {
	reason := err.Error()
	var fe *boundedfile.Error
	if errors.As(err, &fe) {
		reason = fe.Reason // the path is in the message already
	}
	advice := "check token_file and the permissions of the file"
	if errors.Is(err, os.ErrNotExist) {
		advice = "check token_file (for EKS Pod Identity: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE of the pod)"
	}
	return shared.Permanent("TokenFileError", "reading token_file %s: %v; %s", path, reason, advice)
}
