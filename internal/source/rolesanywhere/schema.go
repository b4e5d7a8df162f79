package rolesanywhere

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "roles_anywhere". The
// attribute names are the json tags of the config struct; a test keeps the two in step.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Exchanges an X.509 certificate and its private key for the credentials of an IAM role with IAM Roles Anywhere CreateSession, signed with the key as aws_signing_helper signs.",
		Attributes: []shared.Attribute{
			{Name: "certificate", Type: shared.TypeString, Required: true,
				Description: "Absolute path of the end-entity certificate, PEM, read at every refresh (it may be followed by its intermediate CA certificates)."},
			{Name: "private_key", Type: shared.TypeString, Required: true,
				Description: "Absolute path of the certificate's private key, PEM: RSA or EC, PKCS #1, SEC 1 or PKCS #8, or encrypted PKCS #8 (with passphrase_command); read at every refresh."},
			{Name: "passphrase_command", Type: shared.TypeString, Command: true,
				Description: "Shell command, run with sh -c when the private key is encrypted, that prints its passphrase (one trailing newline is removed)."},
			{Name: "env", Type: shared.TypeStringMap, Sensitive: true,
				Description: "Environment variables set for passphrase_command, as NAME = value; the values are redacted from logs."},
			{Name: "inherit_env", Type: shared.TypeStringList,
				Description: "Names of variables of the environment brs runs in that passphrase_command gets as they are (a password manager's agent socket, say). Otherwise it gets only a minimal environment (PATH, HOME, USER, LANG, LC_*, TMPDIR, proxies... see README)."},
			{Name: "certificate_chain", Type: shared.TypeString,
				Description: "Absolute path of a PEM bundle of intermediate CA certificates between the certificate and the trust anchor, sent with it; read at every refresh."},
			{Name: "trust_anchor_arn", Type: shared.TypeString, Required: true,
				Description: "ARN of the Roles Anywhere trust anchor (the CA) the certificate chains to; CreateSession is sent to its region (the role's region is for the clients of the credentials)."},
			{Name: "profile_arn", Type: shared.TypeString, Required: true,
				Description: "ARN of the Roles Anywhere profile that allows the role, in the trust anchor's region."},
			{Name: "role_arn", Type: shared.TypeString, Required: true,
				Description: "ARN of the IAM role to get credentials for; the profile must list it."},
			{Name: "duration", Type: shared.TypeString,
				Description: "Lifetime of the credentials as a Go duration between 15m and 12h; defaults to 1h, as aws_signing_helper does (the profile may cap it)."},
			{Name: "session_name", Type: shared.TypeString,
				Description: "Role session name, 2 to 64 characters of letters, digits and _+=,.@-; the profile must accept custom role session names."},
			{Name: "timeout", Type: shared.TypeString,
				Description: "How long one request may take, as a Go duration between 100ms and 5m; defaults to 10s."},
		},
	},
		// Environment: the endpoint is reached through the proxies and trusts the
		// system's authorities; passphrase_command runs through PATH.
		Environment: envvars.Join(envvars.HTTP, envvars.Path, envvars.Home),
	}, nil
}
