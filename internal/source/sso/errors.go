package sso

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/brs-go/brs/shared"
)

// loginCodes are the SSO-OIDC error codes after which the SSO session cannot be
// renewed any more: the refresh token or the client registration has expired or was
// revoked. Only a new login helps.
var loginCodes = map[string]bool{
	"InvalidGrantException":       true,
	"ExpiredTokenException":       true,
	"InvalidClientException":      true,
	"UnauthorizedClientException": true,
	"AccessDeniedException":       true,
}

// retryableCodes are the error codes of the portal and SSO-OIDC failures that pass.
var retryableCodes = map[string]bool{
	"InternalServerException":  true,
	"SlowDownException":        true,
	"TooManyRequestsException": true,
	"ThrottlingException":      true,
	"ServiceUnavailable":       true,
	"RequestTimeout":           true,
	"RequestTimeoutException":  true,
}

// oidcError turns a failed CreateToken into a *shared.Error without any secret.
func (c config) oidcError(ctx context.Context, err error, path string, secrets []string) *shared.Error {
	e := classify(ctx, err, "renewing the SSO token with SSO-OIDC CreateToken", "SSO-OIDC", "sso_region and oidc_endpoint")
	switch {
	case loginCodes[e.Code]:
		e.Retryable = false
		e.Message += "; the SSO session can no longer be renewed: " + c.loginAdvice(path)
	case e.Code == "InvalidRequestRegionException":
		e.Message += "; check sso_region: it must be the region of the IAM Identity Center instance"
	}
	e.Message = redact(e.Message, secrets)
	return e
}

// portalError turns a failed GetRoleCredentials into a *shared.Error without any
// secret.
func (c config) portalError(ctx context.Context, err error, path string, secrets []string) *shared.Error {
	what := fmt.Sprintf("GetRoleCredentials for role %s in account %s", c.RoleName, c.AccountID)
	e := classify(ctx, err, what, "the IAM Identity Center portal", "sso_region and the role's endpoint")
	switch e.Code {
	case "UnauthorizedException":
		e.Retryable = false
		e.Message += "; the portal refused the cached SSO token (it expired or the session was ended): " + c.loginAdvice(path)
	case "ForbiddenException", "ResourceNotFoundException", "InvalidRequestException":
		e.Message += "; check account_id and role_name: the role (permission set) must be assigned to you in that account, " +
			"as the AWS access portal shows"
	}
	e.Message = redact(e.Message, secrets)
	return e
}

// classify turns a failed call into a *shared.Error: the AWS error code as Code where
// there is one, permanent for client errors, retryable for throttling, server and
// network failures. what names the call; service names who answers it, and check the
// settings to check, besides the network, when it cannot be reached.
func classify(ctx context.Context, err error, what, service, check string) *shared.Error {
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
		msg := fmt.Sprintf("%s: %s%s", what, apiMessage(ae), describeResponse(status, requestID))
		switch {
		case retryableCodes[code] || status >= 500 || status == 429:
			return &shared.Error{Code: code, Message: msg + "; retrying later may succeed", Retryable: true}
		case status >= 400:
			return &shared.Error{Code: code, Message: msg}
		}
		// An error the service did not describe with a status (a malformed
		// response, say) may well pass.
		return &shared.Error{Code: code, Message: msg, Retryable: true}
	}

	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &shared.Error{Code: "Timeout", Message: fmt.Sprintf("%s: timed out: %v", what, err), Retryable: true}
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return &shared.Error{Code: "Canceled", Message: fmt.Sprintf("%s: cancelled: %v", what, err), Retryable: true}
	}
	var netErr net.Error
	var sendErr *smithyhttp.RequestSendError
	if errors.As(err, &netErr) || errors.As(err, &sendErr) {
		return &shared.Error{Code: "NetworkError", Message: fmt.Sprintf("%s: could not reach %s: %v; check the network, %s", what, service, err, check), Retryable: true}
	}
	if status >= 400 && status < 500 && status != 429 {
		return &shared.Error{Code: fmt.Sprintf("HTTP%d", status), Message: fmt.Sprintf("%s: %v", what, err)}
	}
	return &shared.Error{Code: "RequestFailed", Message: fmt.Sprintf("%s: %v", what, err), Retryable: true}
}

// apiMessage returns an API error's message: the message, else the OAuth
// error_description that SSO-OIDC errors carry in an Error_description field (every
// ssooidc exception type has one; reflection spares a switch over all of them), else
// the code.
func apiMessage(ae smithy.APIError) string {
	if m := ae.ErrorMessage(); m != "" {
		return m
	}
	if v := reflect.ValueOf(ae); v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		if f := v.Elem().FieldByName("Error_description"); f.IsValid() && f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.String && f.Elem().String() != "" {
			return f.Elem().String()
		}
	}
	return ae.ErrorCode()
}

// describeResponse names the HTTP status and request ID of a failed call, for support
// cases.
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

// redact replaces every secret in msg. Empty and very short secrets, which could match
// innocent text, are skipped.
func redact(msg string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 8 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return msg
}
