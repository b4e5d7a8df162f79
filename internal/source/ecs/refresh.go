package ecs

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/source/internal/respond"
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
	creds, err := r.fetch(ctx, s, token)
	if err != nil {
		var se *shared.Error
		if errors.As(err, &se) {
			se.Message = redact(se.Message, token)
		}
		return shared.Credentials{}, err
	}
	return creds, nil
}

// fetch sends one request to the endpoint and converts its answer.
func (r *Refresher) fetch(ctx context.Context, s settings, token string) (shared.Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	where := display(s.endpoint)

	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, s.endpoint.String(), nil)
	if err != nil {
		return shared.Credentials{}, shared.Permanent("InvalidConfig", "GET %s: %v", where, err)
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", userAgent)
	if token != "" {
		hreq.Header.Set("Authorization", token)
	}
	client := r.secure
	if s.endpoint.Scheme == "http" {
		client = r.plain
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return shared.Credentials{}, requestError(ctx, err, where, s.timeout)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return shared.Credentials{}, requestError(ctx, err, where, s.timeout)
	}
	if len(body) > maxBody {
		return shared.Credentials{}, shared.Retryable("InvalidResponse",
			"GET %s: the answer (HTTP %d) is larger than %d bytes, which no credentials document is; check that uri is a container credentials endpoint",
			where, resp.StatusCode, maxBody)
	}
	if resp.StatusCode != http.StatusOK {
		return shared.Credentials{}, statusError(resp, body, where, s, token)
	}
	return parseCredentials(body, where)
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

// redact replaces the token in msg, whatever put it there. Very short tokens are
// skipped, as they could match innocent text.
func redact(msg, token string) string {
	if len(token) < 6 {
		return msg
	}
	return strings.ReplaceAll(msg, token, "[redacted]")
}
