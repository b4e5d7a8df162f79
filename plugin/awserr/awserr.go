package awserr

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/brs-go/brs/shared"
)

// STSRetryableCodes are the STS error codes of failures that pass: throttling,
// server failures and timeouts. Do not modify it; clone it to add codes.
var STSRetryableCodes = map[string]bool{
	"Throttling":               true,
	"ThrottlingException":      true,
	"RequestLimitExceeded":     true,
	"TooManyRequestsException": true,
	"InternalFailure":          true,
	"InternalError":            true,
	"ServiceUnavailable":       true,
	"RequestTimeout":           true,
	"RequestTimeoutException":  true,
}

// Classifier is what one source knows about the errors of the AWS service it calls.
// The zero value classifies by HTTP status alone.
type Classifier struct {
	// Service names who answers the call, in the message of a network failure
	// ("could not reach STS").
	Service string

	// NetworkCheck follows "check the network" in the message of a network failure
	// and names the settings to check besides it, e.g. " and the role's region and
	// endpoint".
	NetworkCheck string

	// FailedCode is the Code of a failure that is neither an API error, a timeout,
	// a cancellation, a network failure nor a client error.
	FailedCode string

	// Transient maps the API error codes that are retryable to the advice added to
	// their message. It is consulted first.
	Transient map[string]string

	// Permanent maps the API error codes that another attempt with the same
	// configuration cannot fix to what the user should do.
	Permanent map[string]string

	// Retryable holds the API error codes of failures that pass. Any API error
	// with an HTTP status of 429 or 5xx is retryable as well.
	Retryable map[string]bool

	// Message returns an API error's message; nil means its ErrorMessage, else its
	// code.
	Message func(smithy.APIError) string
}

// Classify turns a failed call into a *shared.Error: permanent or retryable, with the
// AWS error code as Code where there is one. what names the call and starts every
// message; detail follows it in the message of an API error only. The message is not
// redacted: see Redact.
func (c *Classifier) Classify(ctx context.Context, err error, what, detail string) *shared.Error {
	status := 0
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		status = re.HTTPStatusCode()
	}
	requestID := ""
	var are *awshttp.ResponseError
	if errors.As(err, &are) {
		requestID = are.ServiceRequestID()
	}

	var ae smithy.APIError
	if errors.As(err, &ae) {
		code := ae.ErrorCode()
		msg := fmt.Sprintf("%s%s: %s%s", what, detail, c.message(ae), DescribeResponse(status, requestID))
		if advice, ok := c.Transient[code]; ok {
			return &shared.Error{Code: code, Message: msg + "; " + advice, Retryable: true}
		}
		if advice, ok := c.Permanent[keyProblem(code, ae.ErrorMessage())]; ok {
			return &shared.Error{Code: code, Message: msg + "; " + advice}
		}
		if advice, ok := c.Permanent[code]; ok {
			return &shared.Error{Code: code, Message: msg + "; " + advice}
		}
		if c.Retryable[code] || status >= 500 || status == 429 {
			return &shared.Error{Code: code, Message: msg + "; retrying later may succeed", Retryable: true}
		}
		if status >= 400 {
			return &shared.Error{Code: code, Message: msg}
		}
		// An error the service did not describe with a status (a malformed
		// response, say) may well pass.
		return &shared.Error{Code: code, Message: msg, Retryable: true}
	}

	text := describe(err, status, requestID)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &shared.Error{Code: "Timeout", Message: fmt.Sprintf("%s: timed out: %s", what, text), Retryable: true}
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return &shared.Error{Code: "Canceled", Message: fmt.Sprintf("%s: cancelled: %s", what, text), Retryable: true}
	}

	var netErr net.Error
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &netErr) || errors.As(err, &sendErr) {
		return &shared.Error{Code: "NetworkError", Message: fmt.Sprintf("%s: could not reach %s: %s; check the network%s", what, c.Service, text, c.NetworkCheck), Retryable: true}
	}
	if status >= 400 && status < 500 && status != 429 {
		return &shared.Error{Code: fmt.Sprintf("HTTP%d", status), Message: fmt.Sprintf("%s: %s", what, text)}
	}
	return &shared.Error{Code: c.FailedCode, Message: fmt.Sprintf("%s: %s", what, text), Retryable: true}
}

// describe returns the text of a failed call without the SDK's wrappers: they repeat
// the operation that the message names already, and the HTTP one says "https
// response error" whatever the endpoint's scheme. The status and request ID follow
// the cause, as DescribeResponse puts them.
func describe(err error, status int, requestID string) string {
	attempts := ""
	var ma *retry.MaxAttemptsError
	if errors.As(err, &ma) && ma.Attempt > 1 {
		attempts = fmt.Sprintf(" (%d attempts)", ma.Attempt)
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Err != nil {
		return re.Err.Error() + DescribeResponse(status, requestID) + attempts
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err.Error()
	}
	return err.Error()
}

// keyProblem returns the error code that names the real cause of an AccessDenied
// whose message says that the request's signature or access key is wrong, as MinIO
// answers a wrong secret key or an unknown access key ID: the advice is then to check
// the base keys, not the trust policy. Otherwise it returns code.
func keyProblem(code, message string) string {
	if code != "AccessDenied" {
		return code
	}
	m := strings.ToLower(message)
	switch {
	case strings.Contains(m, "signature") && strings.Contains(m, "does not match"):
		return "SignatureDoesNotMatch"
	case strings.Contains(m, "access key id") && strings.Contains(m, "does not exist"),
		strings.Contains(m, "security token included in the request is invalid"):
		return "InvalidClientTokenId"
	}
	return code
}

func (c *Classifier) message(ae smithy.APIError) string {
	if c.Message != nil {
		return c.Message(ae)
	}
	if m := ae.ErrorMessage(); m != "" {
		return m
	}
	return ae.ErrorCode()
}

// DescribeResponse names the HTTP status and request ID of a failed call, for support
// cases and CloudTrail searches: " (HTTP 403, request ID …)", or "" when there is
// neither.
func DescribeResponse(status int, requestID string) string {
	var parts []string
	if status != 0 {
		parts = append(parts, fmt.Sprintf("HTTP %d", status))
	}
	if requestID != "" {
		parts = append(parts, "request ID "+requestID)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// Redact replaces every secret in msg with "[redacted]", as shared.Redact does (a
// plugin that does not use the AWS SDK calls that one and links no AWS package).
func Redact(msg string, secrets []string, minLen int) string {
	return shared.Redact(msg, secrets, minLen)
}
