package saml

import (
	"context"

	"github.com/brs-go/brs/plugin/awserr"
	"github.com/brs-go/brs/shared"
)

// permanentCodes are the STS error codes of AssumeRoleWithSAML that another attempt
// with the same configuration and identity provider setup cannot fix, with what the
// user should do.
var permanentCodes = map[string]string{
	"AccessDenied": "check that the role's trust policy allows sts:AssumeRoleWithSAML for this SAML provider " +
		"(principal_arn) and the assertion's audience (SAML:aud)",
	"IDPRejectedClaim": "the assertion's claims do not satisfy the role's trust policy: check the conditions " +
		"on SAML:aud and the other SAML keys",
	"InvalidIdentityToken": "STS refused the assertion: check that the SAML provider in IAM holds the identity provider's " +
		"current metadata (its signing certificate), that the assertion is signed, and that its audience is " +
		"https://signin.aws.amazon.com/saml",
	"MalformedPolicyDocument": "fix the policy attribute",
	"PackedPolicyTooLarge":    "shorten policy or policy_arns",
	"RegionDisabledException": "activate STS in this region in the IAM console, or give the role another region",
	"InvalidParameterValue":   "check the role's config block and what saml_command prints",
	"ValidationError": "check the role's config block (duration may not exceed the role's MaxSessionDuration " +
		"nor the assertion's SessionDuration)",
	"InvalidAction": "the endpoint does not implement AssumeRoleWithSAML: check the role's endpoint",
}

// expiredCodes are the codes of an assertion that expired before STS saw it. They
// are retryable: the next attempt runs saml_command again for a fresh one.
var expiredCodes = map[string]string{
	"ExpiredTokenException": "brs runs saml_command again at the next attempt; if this persists, check the clock " +
		"of this machine and of the identity provider",
	"ExpiredToken": "brs runs saml_command again at the next attempt; if this persists, check the clock " +
		"of this machine and of the identity provider",
}

// classifier classifies AssumeRoleWithSAML failures.
var classifier = awserr.Classifier{
	Service:      "STS",
	NetworkCheck: " and the role's region and endpoint",
	FailedCode:   "AssumeRoleWithSAMLFailed",
	Transient:    expiredCodes,
	Permanent:    permanentCodes,
	Retryable:    awserr.STSRetryableCodes,
}

// classify turns an AssumeRoleWithSAML failure into a *shared.Error: permanent or
// retryable, with the AWS error code as Code where there is one. The assertion, in
// base64 and decoded, is removed from the message, whatever the server or the SDK
// put in it.
func classify(ctx context.Context, err error, p pair, secrets []string) *shared.Error {
	e := classifier.Classify(ctx, err, "AssumeRoleWithSAML "+p.role, " with SAML provider "+p.principal)
	e.Message = shared.Redact(e.Message, secrets, 16)
	return e
}
