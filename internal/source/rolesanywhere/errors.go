package rolesanywhere

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/brs-go/brs/internal/safetext"
	"github.com/brs-go/brs/shared"
)

// maxServiceMessage bounds how much of the service's error message is quoted.
const maxServiceMessage = 300

// requestError classifies a request that got no answer: a server certificate this
// side does not trust is permanent; timeouts and network failures are retryable.
func (s settings) requestError(ctx context.Context, err error, where string) *shared.Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the message names the URL already
	}
	var verr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &verr):
		return shared.Permanent("ServerCertificateUntrusted", "POST %s: the server's certificate cannot be verified with the system's roots: %v; check endpoint", where, verr.Err)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return shared.Retryable("Timeout", "POST %s: no answer within %v (or the refresh deadline); raise timeout if the network is always this slow", where, s.timeout)
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return shared.Retryable("Canceled", "POST %s: cancelled", where)
	}
	return shared.Retryable("NetworkError", "POST %s: %v; check the network and the role's region and endpoint", where, err)
}

// serviceMessage returns the "message" of an error answer, made safe to print, or "".
func serviceMessage(body []byte) string {
	var doc struct {
		Message  string `json:"message"`
		Message2 string `json:"Message"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return ""
	}
	m := doc.Message
	if m == "" {
		m = doc.Message2
	}
	return safetext.Clean(m, maxServiceMessage)
}

// clockWords are what a SigV4 service says when X-Amz-Date is too far from its clock.
var clockWords = []string{"signature expired", "not yet current", "request expired", "clock skew", "requesttimetooskewed"}

// statusError classifies an answer other than 2xx, quoting the service's message
// (which names no secret: the request holds none).
func (s settings) statusError(status int, body []byte, where string) *shared.Error {
	msg := fmt.Sprintf("POST %s: HTTP %d", where, status)
	if m := serviceMessage(body); m != "" {
		msg += " (\"" + m + "\")" // escaped by serviceMessage
	}
	lower := strings.ToLower(string(body))
	for _, w := range clockWords {
		if (status == http.StatusForbidden || status == http.StatusBadRequest) && strings.Contains(lower, w) {
			return shared.Permanent("ClockSkew", "%s: the request's time is too far from Roles Anywhere's; check this machine's clock (it must be within 5 minutes)", msg)
		}
	}
	switch {
	case status == http.StatusBadRequest:
		return shared.Permanent("ValidationException", "%s: Roles Anywhere refused the request; check trust_anchor_arn, profile_arn, role_arn, duration and session_name", msg)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return shared.Permanent("AccessDenied", "%s: check that the certificate in certificate %s chains (with certificate_chain) to the trust anchor's CA, "+
			"that the trust anchor and profile are enabled, that the profile lists role_arn and that the role's trust policy trusts rolesanywhere.amazonaws.com", msg, s.Certificate)
	case status == http.StatusNotFound:
		return shared.Permanent("ResourceNotFound", "%s: check trust_anchor_arn and profile_arn, and that the role's region is theirs", msg)
	case status == http.StatusTooManyRequests:
		return shared.Retryable("Throttling", "%s: throttled; retrying later", msg)
	case status >= 500:
		return shared.Retryable("ServerError", "%s: Roles Anywhere failed; retrying later", msg)
	case status >= 300 && status < 400:
		return shared.Permanent("Redirect", "%s: redirects are not followed; check endpoint", msg)
	case status >= 400:
		return shared.Permanent(fmt.Sprintf("HTTP%d", status), "%s: Roles Anywhere refused the request", msg)
	}
	return shared.Retryable("InvalidResponse", "%s: expected HTTP 201 with credentials", msg)
}
