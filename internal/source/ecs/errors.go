package ecs

import (
	"net/http"
	"regexp"

	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

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
func statusError(resp *httpsource.Response, s settings) *shared.Error {
	status := resp.StatusCode
	var doc endpointError
	code := ""
	if resp.DecodeJSON(&doc) == nil && codeChars.MatchString(doc.Code) && resp.Redact(doc.Code) == doc.Code {
		code = doc.Code
	}
	tokenAdvice := "the endpoint needs an Authorization token: set token or token_file"
	if s.Token != "" || s.TokenFile != "" {
		tokenAdvice = "check token / token_file (for EKS Pod Identity, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE; for brs serve, the token it printed)"
	}
	var detail string
	switch {
	case status >= 300 && status < 400:
		detail = "redirects are not followed, so the token only goes to the configured endpoint; set uri to the final address"
	case status == http.StatusUnauthorized:
		detail = "the token was refused; " + tokenAdvice
	case status == http.StatusForbidden:
		detail = "these credentials may not be fetched with this token; " + tokenAdvice + ", and that the pod or task has a role"
	case status == http.StatusNotFound:
		detail = "no credentials at this path; check uri / relative_uri " +
			"(for ECS, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI of this task: the path changes with every task; for brs serve, the role's path)"
	case status == http.StatusTooManyRequests:
		detail = "throttled; retrying later"
	case status >= 500:
		detail = "the endpoint failed; retrying later"
	case status >= 400:
		detail = "the endpoint refused the request; check uri / relative_uri and the token"
	default:
		detail = "expected HTTP 200 with credentials"
	}
	return resp.StatusError(code, detail)
}
