package session

import (
	"github.com/brs-go/brs/plugin/awserr"
)

// permanentCodes are the STS error codes of GetSessionToken that another attempt with
// the same configuration cannot fix, with what the user should do.
var permanentCodes = map[string]string{
	"AccessDenied": "check the MFA device (mfa_serial) and that mfa_token_command prints its current code; " +
		"a code is accepted once, and the IAM user may need sts:GetSessionToken",
	"InvalidClientTokenId":       "the long-term access key is not valid: check the keyring entry or the profile",
	"SignatureDoesNotMatch":      "the secret access key is wrong: check the keyring entry or the profile",
	"ExpiredToken":               "the base credentials have expired",
	"InvalidParameterValue":      "check the role's config block",
	"ValidationError":            "check the role's config block (duration: 15m to 36h for an IAM user, at most 1h for the root user)",
	"InvalidAction":              "the endpoint does not implement GetSessionToken: check the role's endpoint",
	"MissingAuthenticationToken": "the request was not signed: check the base key",
	"RegionDisabledException":    "activate STS in this region in the IAM console, or give the role another region",
}

// classifier classifies GetSessionToken failures.
var classifier = awserr.Classifier{
	Service:      "STS",
	NetworkCheck: " and the role's region and endpoint",
	FailedCode:   "GetSessionTokenFailed",
	Permanent:    permanentCodes,
	Retryable:    awserr.STSRetryableCodes,
}
