package webidentity

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "web_identity". The
// attribute names are the json tags of the config struct; a test keeps the two in
// step.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Exchanges an OpenID Connect token (a Kubernetes service account token, a CI job's ID token) for an IAM role's credentials with STS AssumeRoleWithWebIdentity.",
		Attributes: []shared.Attribute{
			{Name: "role_arn", Type: shared.TypeString, Required: true,
				Description: "ARN of the IAM role to assume, e.g. arn:aws:iam::111122223333:role/analytics (AWS_ROLE_ARN in EKS)."},
			{Name: "token_file", Type: shared.TypeString,
				Description: "Absolute path of the file that holds the token, read again at every refresh (AWS_WEB_IDENTITY_TOKEN_FILE in EKS); set this or token_command."},
			{Name: "token_command", Type: shared.TypeString, Command: true,
				Description: "Shell command, run with sh -c at every refresh, that prints the token on standard output; set this or token_file. A secret it needs goes in env, not in the command."},
			{Name: "env", Type: shared.TypeStringMap, Sensitive: true,
				Description: "Environment variables set for token_command, as NAME = value, e.g. { CI_JOB_TOKEN = env(\"CI_JOB_TOKEN\") }; the values are redacted from logs."},
			{Name: "inherit_env", Type: shared.TypeStringList,
				Description: "Names of variables of the environment brs runs in that token_command gets as they are. Otherwise it gets only a minimal environment (PATH, HOME, USER, LANG, LC_*, TMPDIR, proxies... see README)."},
			{Name: "session_name", Type: shared.TypeString,
				Description: "Role session name shown in CloudTrail (2-64 characters of [A-Za-z0-9_+=,.@-]); defaults to \"brs-\" and the role block's name."},
			{Name: "duration", Type: shared.TypeString,
				Description: "Lifetime of each set of credentials as a Go duration between 15m and 12h (the role's MaxSessionDuration permitting); defaults to 1h."},
			{Name: "policy", Type: shared.TypeString,
				Description: "Inline JSON session policy that further restricts the role's permissions."},
			{Name: "policy_arns", Type: shared.TypeStringList,
				Description: "ARNs of managed policies used as session policies to further restrict the role's permissions."},
		},
	},
		// Environment: the AWS SDK's default config gives the region and the STS client
		// (endpoints, proxies, ~/.aws); token_command runs through PATH.
		Environment: envvars.Join(envvars.AWSSDK, envvars.HTTP, envvars.Home, envvars.Path),
	}, nil
}
