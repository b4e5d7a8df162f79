package login

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/signin/types"

	"github.com/brs-go/brs/plugin/awserr"
	"github.com/brs-go/brs/shared"
)

// untrustedError is a cache file that brs refuses because another user could change
// or read it.
type untrustedError struct{ path, reason, fix string }

func (e *untrustedError) Error() string {
	return "refusing the aws login cache file " + e.path + ": " + e.reason +
		"; it holds your session's refresh token and private key, so whoever else can change it can give your programs credentials of their choosing and whoever can read it can take the session: " + e.fix
}

// signinClassifier classifies failures of CreateOAuth2Token.
var signinClassifier = awserr.Classifier{
	Service:      "the AWS sign-in service",
	NetworkCheck: " and the role's region and endpoint",
	FailedCode:   "RequestFailed",
	Retryable: map[string]bool{
		"TooManyRequestsError":        true,
		"InternalServerException":     true,
		"ServiceUnavailableException": true,
		"ThrottlingException":         true,
	},
}

// signinError turns a failed CreateOAuth2Token into a *shared.Error without any
// secret: an ended session (expired, password changed, refresh token refused) is
// permanent and says to run `aws login`.
func (c config) signinError(ctx context.Context, err error, path string, secrets []string) *shared.Error {
	e := signinClassifier.Classify(ctx, err, "refreshing the aws login session with the sign-in service (CreateOAuth2Token)", "")
	var ad *types.AccessDeniedException
	switch {
	case errors.As(err, &ad):
		e.Retryable = false
		switch ad.Error_ {
		case types.OAuth2ErrorCodeTokenExpired:
			e.Code = "LoginSessionExpired"
			e.Message += "; the login session has expired: " + c.loginAdvice(path)
		case types.OAuth2ErrorCodeUserCredentialsChanged:
			e.Code = "LoginSessionExpired"
			e.Message += "; the password changed since you signed in, which ends the session: " + c.loginAdvice(path)
		case types.OAuth2ErrorCodeInsufficientPermissions:
			e.Message += "; the signed-in identity may not refresh its session: it needs permission for signin:CreateOAuth2Token"
		default:
			e.Message += "; " + c.loginAdvice(path)
		}
	case e.Code == "InvalidGrantException":
		e.Retryable = false
		e.Message += "; the session's refresh token was refused (spent by another program, or revoked): " + c.loginAdvice(path)
	case e.Code == "ValidationException":
		e.Retryable = false
		e.Message += "; check the system clock (DPoP proofs carry the time), and if it is right, " + c.loginAdvice(path)
	}
	e.Message = awserr.Redact(e.Message, secrets, 8)
	return e
}
