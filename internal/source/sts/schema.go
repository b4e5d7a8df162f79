package sts

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "sts". The attribute names
// are the json tags of the config struct; a test keeps the two in step.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Assumes an IAM role with STS AssumeRole, signed by the source_role's credentials, else the named AWS profile's, else the default AWS credential chain's.",
		Attributes: []shared.Attribute{
			{Name: "role_arn", Type: shared.TypeString, Required: true,
				Description: "ARN of the IAM role to assume, e.g. arn:aws:iam::111122223333:role/analytics."},
			{Name: "session_name", Type: shared.TypeString,
				Description: "Role session name shown in CloudTrail (2-64 characters of [A-Za-z0-9_+=,.@-]); defaults to \"brs-\" and the role block's name."},
			{Name: "duration", Type: shared.TypeString,
				Description: "Lifetime of each set of credentials as a Go duration between 15m and 12h (AWS caps chained roles at 1h); defaults to 1h."},
			{Name: "external_id", Type: shared.TypeString,
				Description: "External ID that the role's trust policy requires, if any."},
			{Name: "policy", Type: shared.TypeString,
				Description: "Inline JSON session policy that further restricts the role's permissions."},
			{Name: "policy_arns", Type: shared.TypeStringList,
				Description: "ARNs of managed policies used as session policies to further restrict the role's permissions."},
			{Name: "tags", Type: shared.TypeStringMap,
				Description: "Session tags passed to AssumeRole, as key = value."},
			{Name: "transitive_tag_keys", Type: shared.TypeStringList,
				Description: "Keys of tags that stay on the session when it is used to assume further roles."},
			{Name: "source_identity", Type: shared.TypeString,
				Description: "Source identity recorded with the session and kept through role chaining."},
			{Name: "mfa_serial", Type: shared.TypeString,
				Description: "Serial number or ARN of the MFA device the role's trust policy requires; the code comes from mfa_token_command, else brs asks for it at the terminal."},
			{Name: "mfa_token_command", Type: shared.TypeString, Command: true,
				Description: "Shell command, run with sh -c at every refresh, whose output ends with the current 6-digit MFA code; needs mfa_serial. A secret it needs (an OTP seed) goes in env, not in the command."},
			{Name: "env", Type: shared.TypeStringMap, Sensitive: true,
				Description: "Environment variables set for mfa_token_command, as NAME = value, e.g. { OTP_SEED = file(\"seed\") }; the values are redacted from logs."},
			{Name: "inherit_env", Type: shared.TypeStringList,
				Description: "Names of variables of the environment brs runs in that mfa_token_command gets as they are. Otherwise it gets only a minimal environment (PATH, HOME, USER, LANG, LC_*, TMPDIR, proxies... see README), never the credentials that sign AssumeRole."},
			{Name: "profile", Type: shared.TypeString,
				Description: "AWS profile (in ~/.aws/config or ~/.aws/credentials) whose credentials sign AssumeRole, as AWS_PROFILE would but for this role only; not with source_role."},
			{Name: "keyring", Type: shared.TypeString,
				Description: "Name of a long-term access key in the OS keyring (brs keys add NAME) that signs AssumeRole; not with source_role or profile."},
		},
	},
		// Environment: the AWS SDK signs AssumeRole with the default chain or a profile (its
		// variables, ~/.aws, proxies); mfa_token_command runs through PATH.
		Environment: envvars.Join(envvars.AWSSDK, envvars.HTTP, envvars.Home, envvars.Path),
	}, nil
}
