package sts

import (
	"context"
	"maps"

	"github.com/brs-go/brs/plugin/awserr"
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

// retryableCodes are the STS error codes of failures that pass, and
// IDPCommunicationError: STS could not reach the identity provider of a federated
// base identity.
var retryableCodes = func() map[string]bool {
	m := maps.Clone(awserr.STSRetryableCodes)
	m["IDPCommunicationError"] = true
	return m
}()

// classifier classifies AssumeRole failures.
var classifier = awserr.Classifier{
	Service:      "STS",
	NetworkCheck: " and the role's region and endpoint",
	FailedCode:   "AssumeRoleFailed",
	Permanent:    permanentCodes,
	Retryable:    retryableCodes,
}

// classify turns an AssumeRole failure into a *shared.Error: permanent or retryable,
// with the AWS error code as Code where there is one. Every string in secrets is
// removed from the message, whatever the server or the SDK put in it; an MFA code is
// six digits, so shorter strings are kept, as they could match innocent text.
func classify(ctx context.Context, err error, roleARN string, secrets []string) *shared.Error {
	e := classifier.Classify(ctx, err, "AssumeRole "+roleARN, "")
	e.Message = awserr.Redact(e.Message, secrets, 6)
	return e
}
