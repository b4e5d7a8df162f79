package session

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "session". The attribute
// names are the json tags of the config struct.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Gets a session with STS GetSessionToken (with an MFA code when mfa_serial is set), signed by an IAM user's long-term key from the keyring, the named AWS profile or the default AWS credential chain; roles chained on it share its one MFA code.",
		Attributes: []shared.Attribute{
			{Name: "duration", Type: shared.TypeString,
				Description: "Lifetime of the session as a Go duration between 15m and 36h; defaults to 12h, as AWS does."},
			{Name: "mfa_serial", Type: shared.TypeString,
				Description: "Serial number or ARN of the IAM user's MFA device; the code comes from mfa_token_command, else brs asks for it at the terminal."},
			{Name: "mfa_token_command", Type: shared.TypeString, Command: true,
				Description: "Shell command, run with sh -c once per session, whose output ends with the current 6-digit MFA code; needs mfa_serial. A secret it needs (an OTP seed) goes in env, not in the command."},
			{Name: "env", Type: shared.TypeStringMap, Sensitive: true,
				Description: "Environment variables set for mfa_token_command, as NAME = value, e.g. { OTP_SEED = file(\"seed\") }; the values are redacted from logs."},
			{Name: "inherit_env", Type: shared.TypeStringList,
				Description: "Names of variables of the environment brs runs in that mfa_token_command gets as they are. Otherwise it gets only a minimal environment (PATH, HOME, USER, LANG, LC_*, TMPDIR, proxies... see README), never the key that signs GetSessionToken."},
			{Name: "profile", Type: shared.TypeString,
				Description: "AWS profile (in ~/.aws/config or ~/.aws/credentials) whose long-term key signs GetSessionToken; not with keyring."},
			{Name: "keyring", Type: shared.TypeString,
				Description: "Name of the long-term key in the OS keyring (brs keys add NAME) that signs GetSessionToken; not with profile."},
		},
	},
		// Environment: the AWS SDK signs GetSessionToken with a profile or the default
		// chain (its variables, ~/.aws, proxies); mfa_token_command runs through PATH; the
		// keyring's backend, directory, passphrase and session bus.
		Environment: envvars.Join(envvars.AWSSDK, envvars.HTTP, envvars.Home, envvars.Path,
			[]string{"BRS_KEYRING_*", "DBUS_SESSION_BUS_ADDRESS", "XDG_DATA_HOME"}),
	}, nil
}
