package webidentity

import (
	"context"

	"github.com/brs-go/brs/plugin/awserr"
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

// classifier classifies AssumeRoleWithWebIdentity failures.
var classifier = awserr.Classifier{
	Service:      "STS",
	NetworkCheck: " and the role's region and endpoint",
	FailedCode:   "AssumeRoleWithWebIdentityFailed",
	Transient:    tokenCodes,
	Permanent:    permanentCodes,
	Retryable:    awserr.STSRetryableCodes,
}

// classify turns an AssumeRoleWithWebIdentity failure into a *shared.Error: permanent
// or retryable, with the AWS error code as Code where there is one. from says where
// the token came from. The token is removed from the message, whatever the server or
// the SDK put in it.
func classify(ctx context.Context, err error, roleARN, from, token string) *shared.Error {
	e := classifier.Classify(ctx, err, "AssumeRoleWithWebIdentity "+roleARN, " with the token from "+from)
	e.Message = awserr.Redact(e.Message, []string{token}, 8)
	return e
}
