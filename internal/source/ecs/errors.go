package ecs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/brs-go/brs/shared"
)

// requestError classifies a request that got no answer.
func requestError(ctx context.Context, err error, where string, timeout time.Duration) *shared.Error {
	// url.Error repeats the full URL, query included; the message names the endpoint
	// already.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var na *errAddrNotAllowed
	switch {
	case errors.As(err, &na):
		return shared.Permanent("HostNotAllowed",
			"GET %s: refused to connect to %s: with plain http the endpoint must be %s; use https for any other host",
			where, na.addr, allowedHostsText)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return shared.Retryable("Timeout", "GET %s: no answer within %v (or the refresh deadline); the endpoint may be overloaded, "+
			"raise timeout if it is always this slow", where, timeout)
	case ctxDone(ctx, err):
		return shared.Retryable("Canceled", "GET %s: cancelled", where)
	}
	return shared.Retryable("NetworkError", "GET %s: %v; check that the credentials agent runs and that uri is its address", where, err)
}

// endpointError is the JSON error document of the container credentials protocol,
// {"code", "message"}; only the code is read.
type endpointError struct {
	Code string `json:"code"`
}

// codeChars matches an error code fit to pass on as ours.
var codeChars = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,63}$`)

// statusError classifies an answer other than 200. It quotes the error code of a JSON
// error document, if it looks like one, and nothing else of the body: the message of
// a failing endpoint could repeat anything, the token included. A code that holds the
// token is not quoted either.
func statusError(resp *http.Response, body []byte, where string, s settings, token string) *shared.Error {
	status := resp.StatusCode
	var doc endpointError
	code := ""
	if json.Unmarshal(body, &doc) == nil && codeChars.MatchString(doc.Code) && redact(doc.Code, token) == doc.Code {
		code = doc.Code
	}
	msg := fmt.Sprintf("GET %s: HTTP %d", where, status)
	if code != "" {
		msg += " " + code
	}

	tokenAdvice := "the endpoint needs an Authorization token: set token or token_file"
	if s.Token != "" || s.TokenFile != "" {
		tokenAdvice = "check token / token_file (for EKS Pod Identity, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE; for brs serve, the token it printed)"
	}
	switch {
	case status >= 300 && status < 400:
		return shared.Permanent(orDefault(code, "Redirect"), "%s: redirects are not followed, so the token only goes to the configured endpoint; set uri to the final address", msg)
	case status == http.StatusUnauthorized:
		return shared.Permanent(orDefault(code, "Unauthorized"), "%s: the token was refused; %s", msg, tokenAdvice)
	case status == http.StatusForbidden:
		return shared.Permanent(orDefault(code, "AccessDenied"), "%s: these credentials may not be fetched with this token; %s, and that the pod or task has a role", msg, tokenAdvice)
	case status == http.StatusNotFound:
		return shared.Permanent(orDefault(code, "NotFound"), "%s: no credentials at this path; check uri / relative_uri "+
			"(for ECS, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI of this task: the path changes with every task; for brs serve, the role's path)", msg)
	case status == http.StatusTooManyRequests:
		return shared.Retryable(orDefault(code, "Throttling"), "%s: throttled; retrying later", msg)
	case status >= 500:
		return shared.Retryable(orDefault(code, "ServerError"), "%s: the endpoint failed; retrying later", msg)
	case status >= 400:
		return shared.Permanent(orDefault(code, fmt.Sprintf("HTTP%d", status)), "%s: the endpoint refused the request; check uri / relative_uri and the token", msg)
	}
	return shared.Retryable("InvalidResponse", "%s: expected HTTP 200 with credentials", msg)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
