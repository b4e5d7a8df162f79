package saml

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "saml". The attribute
// names are the json tags of the config struct; a test keeps the two in step.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Exchanges a SAML assertion, printed by saml_command at every refresh, for an IAM role's credentials with STS AssumeRoleWithSAML.",
		Attributes: []shared.Attribute{
			{Name: "saml_command", Type: shared.TypeString, Required: true, Command: true,
				Description: "Shell command, run with sh -c at every refresh, that signs in at the identity provider and prints the base64 SAMLResponse on standard output (at most 1 MiB). A secret it needs goes in env, not in the command."},
			{Name: "timeout", Type: shared.TypeString,
				Description: "How long saml_command may run before it, and everything it started, is killed; default 1m, at most 15m. Raise the role's refresh { timeout } with it."},
			{Name: "env", Type: shared.TypeStringMap, Sensitive: true,
				Description: "Environment variables set for saml_command, as NAME = value; the values are redacted from logs."},
			{Name: "inherit_env", Type: shared.TypeStringList,
				Description: "Names of variables of the environment brs runs in that saml_command gets as they are. Otherwise it gets only a minimal environment (PATH, HOME, USER, LANG, LC_*, TMPDIR, proxies... see README)."},
			{Name: "role_arn", Type: shared.TypeString,
				Description: "ARN of the IAM role to assume, one of the assertion's Role attribute; needed when the assertion offers several roles."},
			{Name: "principal_arn", Type: shared.TypeString,
				Description: "ARN of the IAM SAML provider paired with the role in the assertion; needed when the same role comes with several providers."},
			{Name: "duration", Type: shared.TypeString,
				Description: "Lifetime of each set of credentials as a Go duration between 15m and 12h (the role's MaxSessionDuration and the assertion's SessionDuration permitting); defaults to 1h."},
			{Name: "policy", Type: shared.TypeString,
				Description: "Inline JSON session policy that further restricts the role's permissions."},
			{Name: "policy_arns", Type: shared.TypeStringList,
				Description: "ARNs of managed policies used as session policies to further restrict the role's permissions."},
		},
	},
		// Environment: the AWS SDK's default config gives the region and the STS client
		// (endpoints, proxies, ~/.aws); saml_command runs through PATH.
		Environment: envvars.Join(envvars.AWSSDK, envvars.HTTP, envvars.Home, envvars.Path),
	}, nil
}
