package httpsource

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

// DefaultCode is the error code StatusError gives an answer with status when the
// source names none: Redirect (3xx), Unauthorized (401), AccessDenied (403), NotFound
// (404), Throttling (429), ServerError (5xx), HTTPnnn (other 4xx), or InvalidResponse
// (anything else the source cannot use).
func DefaultCode(status int) string {
	switch {
	case status >= 300 && status < 400:
		return "Redirect"
	case status == http.StatusUnauthorized:
		return "Unauthorized"
	case status == http.StatusForbidden:
		return "AccessDenied"
	case status == http.StatusNotFound:
		return "NotFound"
	case status == http.StatusTooManyRequests:
		return "Throttling"
	case status >= 500 && status < 600:
		return "ServerError"
	case status >= 400 && status < 500:
		return "HTTP" + strconv.Itoa(status)
	}
	return "InvalidResponse"
}

// Retryable reports whether an answer with status may go another way if the request
// is sent again later: 429, 5xx, and the statuses that are not an answer a server
// means as final (1xx, 2xx the source did not expect). 3xx and other 4xx are
// permanent: the same request meets the same refusal.
func Retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500 || status < 300
}

// StatusError is the error for an answer the source cannot use (any status but the
// one it expects). Its Code is code, or DefaultCode(r.StatusCode) when code is empty;
// it is retryable as Retryable says. The message is "WHERE: HTTP STATUS[ CODE]" followed
// by ": detail" if detail is set, then by what a Retry-After asked that was not
// waited out, then by the client's advice for the code. It is redacted of the
// request's secrets, code included. The body is not quoted: a failing server may echo
// anything, the token included. For a 3xx without detail, the detail says that
// redirects are not followed.
func (r *Response) StatusError(code, detail string) *shared.Error {
	status := r.StatusCode
	msg := fmt.Sprintf("%s: HTTP %d", r.Where, status)
	if code != "" {
		msg += " " + code
	} else {
		code = DefaultCode(status)
	}
	if detail == "" && status >= 300 && status < 400 {
		detail = "redirects are not followed, so the request's token only goes to the configured URL; set the URL to the final address"
	}
	if detail != "" {
		msg += ": " + detail
	}
	if r.retryAfter > 0 {
		msg += fmt.Sprintf("; the server asks to wait %v before trying again", r.retryAfter)
	}
	mk := shared.Permanent
	if Retryable(status) {
		mk = shared.Retryable
	}
	if r.client != nil {
		if a := r.client.advice[code]; a != "" {
			msg += "; " + a
		}
	}
	e := mk(redact(code, r.secrets), "%s", redact(msg, r.secrets))
	return e
}

// Redact returns msg with the request's secrets (its sensitive header values and
// Request.Secrets) replaced by "[redacted]", for a message the source makes itself
// from what the answer says.
func (r *Response) Redact(msg string) string { return redact(msg, r.secrets) }

// DecodeJSON decodes the body into v. Its error describes what is wrong ("invalid
// JSON near byte 12", "field AccessKeyId is a JSON number, not of the expected type")
// without quoting the body, which may hold secrets.
func (r *Response) DecodeJSON(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return errors.New(JSONProblem(err))
	}
	return nil
}

// JSONProblem describes a JSON decoding error without the text it quotes from the
// input.
func JSONProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "invalid JSON near byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		if te.Field == "" {
			return "the document is a JSON " + te.Value + ", not an object"
		}
		return "field " + te.Field + " is a JSON " + te.Value + ", not of the expected type"
	}
	return "invalid JSON"
}

// retryAfter returns the wait a 429 or 503 answer asks for with Retry-After (seconds,
// or an HTTP date), if it asks for one.
func retryAfter(r *Response, now time.Time) (time.Duration, bool) {
	if r.StatusCode != http.StatusTooManyRequests && r.StatusCode != http.StatusServiceUnavailable {
		return 0, false
	}
	v := strings.TrimSpace(r.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
