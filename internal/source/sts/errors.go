package sts

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
// configuration and base credentials cannot fix, with what the user should do.
var permanentCodes = map[string]string{
	"AccessDenied": "check that the base credentials may call sts:AssumeRole on the role and that the role's trust policy " +
		"allows them (and requires no external_id, MFA or tags that the config does not give)",
	"InvalidClientTokenId":       "the base credentials are not valid: check AWS_ACCESS_KEY_ID / AWS_PROFILE, or the source_role",
	"SignatureDoesNotMatch":      "the base secret access key is wrong: check AWS_SECRET_ACCESS_KEY / AWS_PROFILE, or the source_role",
	"ExpiredToken":               "the base credentials have expired: renew them (e.g. aws sso login) or check the source_role",
	"ExpiredTokenException":      "the base credentials have expired: renew them (e.g. aws sso login) or check the source_role",
	"InvalidTokenId":             "the base session token is not valid: renew the base credentials or check the source_role",
	"IDPRejectedClaim":           "the identity provider's token was refused: check its claims against the role's trust policy",
	"InvalidIdentityToken":       "the identity token was refused: check the token and the identity provider's trust",
	"MalformedPolicyDocument":    "fix the policy attribute",
	"PackedPolicyTooLarge":       "shorten policy, policy_arns or tags",
	"RegionDisabledException":    "activate STS in this region in the IAM console, or give the role another region",
	"InvalidParameterValue":      "check the role's config block",
	"ValidationError":            "check the role's config block (a chained role may last at most 1h, and no role longer than its MaxSessionDuration)",
	"InvalidAction":              "the endpoint does not implement AssumeRole: check the role's endpoint",
	"MissingAuthenticationToken": "the request was not signed: check the base credentials",
}

// retryableCodes are the STS error codes of failures that pass.
var retryableCodes = map[string]bool{
	"IDPCommunicationError":    true,
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

// classify turns an AssumeRole failure into a *shared.Error: permanent or retryable,
// with the AWS error code as Code where there is one. Every string in secrets is
// removed from the message, whatever the server or the SDK put in it.
func classify(ctx context.Context, err error, roleARN string, secrets []string) *shared.Error {
	e := classifyUnredacted(ctx, err, roleARN)
	e.Message = redact(e.Message, secrets)
	return e
}

func classifyUnredacted(ctx context.Context, err error, roleARN string) *shared.Error {
	prefix := fmt.Sprintf("AssumeRole %s", roleARN)

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
		msg := fmt.Sprintf("%s: %s%s", prefix, orDefault(ae.ErrorMessage(), code), where)
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
	return &shared.Error{Code: "AssumeRoleFailed", Message: fmt.Sprintf("%s: %v", prefix, err), Retryable: true}
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

// redact replaces every secret in msg. Empty secrets and very short ones (which could
// match innocent text) are skipped; an MFA code is six digits, so the bound is lower.
func redact(msg string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 6 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return msg
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
