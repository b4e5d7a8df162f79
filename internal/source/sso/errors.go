package sso

import (
	"context"
	"fmt"
	"reflect"

	"github.com/aws/smithy-go"

	"github.com/brs-go/brs/plugin/awserr"
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
	e := oidcClassifier.Classify(ctx, err, "renewing the SSO token with SSO-OIDC CreateToken", "")
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
	e := portalClassifier.Classify(ctx, err, what, "")
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

// oidcClassifier classifies SSO-OIDC failures.
var oidcClassifier = awserr.Classifier{
	Service:      "SSO-OIDC",
	NetworkCheck: ", sso_region and oidc_endpoint",
	FailedCode:   "RequestFailed",
	Retryable:    retryableCodes,
	Message:      apiMessage,
}

// portalClassifier classifies failures of the IAM Identity Center portal.
var portalClassifier = awserr.Classifier{
	Service:      "the IAM Identity Center portal",
	NetworkCheck: ", sso_region and the role's endpoint",
	FailedCode:   "RequestFailed",
	Retryable:    retryableCodes,
	Message:      apiMessage,
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

// redact replaces every secret in msg. Empty and very short secrets, which could match
// innocent text, are skipped.
func redact(msg string, secrets []string) string {
	return awserr.Redact(msg, secrets, 8)
}
