package process

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "process". The attribute
// names are the json tags of the config struct; a test keeps the two in step.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Runs a command that prints credentials in the AWS credential_process JSON format, at every refresh.",
		Attributes: []shared.Attribute{
			{Name: "command", Type: shared.TypeString, Required: true, Command: true,
				Description: "Shell command line, run with sh -c, that prints credential_process JSON (Version 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration) on standard output."},
			{Name: "timeout", Type: shared.TypeString,
				Description: "How long the command may run before it and everything it started are killed, as a Go duration; defaults to 1m (the role's refresh timeout, 30s by default, also applies)."},
			{Name: "env", Type: shared.TypeStringMap, Sensitive: true,
				Description: "Environment variables set for the command, as NAME = value; the values are redacted from logs. This is where a secret the command needs goes (env = { VAULT_TOKEN = env(\"VAULT_TOKEN\") }), never in command itself."},
			{Name: "inherit_env", Type: shared.TypeStringList,
				Description: "Names of variables of the environment brs runs in that the command gets as they are, e.g. [\"AWS_PROFILE\"]. Otherwise the command gets only a minimal environment (PATH, HOME, USER, LANG, LC_*, TMPDIR, proxies... see README), never brs's AWS credentials."},
			{Name: "dir", Type: shared.TypeString,
				Description: "Absolute path of the directory the command runs in; defaults to the working directory of the program that uses brs."},
		},
	},
		// Environment: the command is found through PATH and inherits the environment;
		// credential_process commands are mostly AWS tools, which read the AWS SDK's
		// variables, ~/.aws and the proxies.
		Environment: envvars.Join(envvars.AWSSDK, envvars.HTTP, envvars.Home, envvars.Path),
	}, nil
}
