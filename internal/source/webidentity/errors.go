package webidentity

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/brs-go/brs/shared"
)

// permanentCodes are the STS error codes that another attempt with the same
// configuration and identity cannot fix, with what the user should do.
var permanentCodes = map[string]string{
	"AccessDenied": "check that the role's trust policy allows sts:AssumeRoleWithWebIdentity for this identity provider " +
		"and the token's subject (sub) and audience (aud)",
	"IDPRejectedClaim": "the token's claims do not satisfy the identity provider or the role's trust policy: " +
		"check its subject (sub) and audience (aud) against the trust policy's conditions",
	"MalformedPolicyDocument": "fix the policy attribute",
	"PackedPolicyTooLarge":    "shorten policy or policy_arns",
	"RegionDisabledException": "activate STS in this region in the IAM console, or give the role another region",
	"InvalidParameterValue": "check the role's config block and the token (STS-compatible servers such as MinIO " +
		"also report a token they refuse with this code)",
	"ValidationError": "check the role's config block (duration may not exceed the role's MaxSessionDuration)",
	"InvalidAction":   "the endpoint does not implement AssumeRoleWithWebIdentity: check the role's endpoint",
}

// tokenCodes are the STS error codes about the token itself. They are retryable, and
// that is a choice: the token is read again at every attempt (the kubelet rotates a
// projected token in place; token_command prints a new one), so an expired token is
// fixed by the next read, and AWS also answers InvalidIdentityToken when it could not
// fetch the identity provider's signing keys, or has not yet seen a key the provider
// just rotated in — which is why aws-sdk-go-v2's own web identity provider retries it.
// The host's backoff (up to 5 minutes) keeps a token that stays wrong from hammering
// STS, and the message says what to check if the error persists.
var tokenCodes = map[string]string{
	"ExpiredTokenException": "the token has expired; brs reads a new one at the next attempt — if this persists, " +
		"check that the program that writes the token is running",
	"ExpiredToken": "the token has expired; brs reads a new one at the next attempt — if this persists, " +
		"check that the program that writes the token is running",
	"InvalidIdentityToken": "brs tries again, as a rotated token or signing key can take a moment to be accepted; " +
		"if this persists, check that the token's issuer is registered as an identity provider in IAM, " +
		"and that its audience (aud) is one of the provider's client IDs",
	"IDPCommunicationError": "STS could not reach the identity provider to check the token; retrying later may succeed",
}

// retryableCodes are the STS error codes of failures that pass.
var retryableCodes = map[string]bool{
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

// classify turns an AssumeRoleWithWebIdentity failure into a *shared.Error: permanent
// or retryable, with the AWS error code as Code where there is one. from says where
// the token came from. The token is removed from the message, whatever the server or
// the SDK put in it.
func classify(ctx context.Context, err error, roleARN, from, token string) *shared.Error {
	e := classifyUnredacted(ctx, err, roleARN, from)
	if len(token) >= 8 {
		e.Message = strings.ReplaceAll(e.Message, token, "[redacted]")
	}
	return e
}

func classifyUnredacted(ctx context.Context, err error, roleARN, from string) *shared.Error {
	prefix := fmt.Sprintf("AssumeRoleWithWebIdentity %s", roleARN)

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
	where := describeResponse(status, requestID)

	var ae smithy.APIError
	if errors.As(err, &ae) {
		code := ae.ErrorCode()
		msg := fmt.Sprintf("%s with the token from %s: %s%s", prefix, from, orDefault(ae.ErrorMessage(), code), where)
		if advice, ok := tokenCodes[code]; ok {
			return &shared.Error{Code: code, Message: msg + "; " + advice, Retryable: true}
		}
		if advice, ok := permanentCodes[code]; ok {
			return &shared.Error{Code: code, Message: msg + "; " + advice}
		}
		if retryableCodes[code] || status >= 500 || status == 429 {
			return &shared.Error{Code: code, Message: msg + "; retrying later may succeed", Retryable: true}
		}
		if status >= 400 {
			return &shared.Error{Code: code, Message: msg}
		}
		// An error the service did not describe with a status (a malformed
		// response, say) may well pass.
		return &shared.Error{Code: code, Message: msg, Retryable: true}
	}

	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &shared.Error{Code: "Timeout", Message: fmt.Sprintf("%s: timed out: %v", prefix, err), Retryable: true}
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return &shared.Error{Code: "Canceled", Message: fmt.Sprintf("%s: cancelled: %v", prefix, err), Retryable: true}
	}

	var netErr net.Error
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &netErr) || errors.As(err, &sendErr) {
		return &shared.Error{Code: "NetworkError", Message: fmt.Sprintf("%s: could not reach STS: %v; check the network and the role's region and endpoint", prefix, err), Retryable: true}
	}
	if status >= 400 && status < 500 && status != 429 {
		return &shared.Error{Code: fmt.Sprintf("HTTP%d", status), Message: fmt.Sprintf("%s: %v", prefix, err)}
	}
	return &shared.Error{Code: "AssumeRoleWithWebIdentityFailed", Message: fmt.Sprintf("%s: %v", prefix, err), Retryable: true}
}

// describeResponse names the HTTP status and request ID of a failed call, for support
// cases and CloudTrail searches.
func describeResponse(status int, requestID string) string {
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
