package login

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "login". The attribute
// names are the json tags of the config struct; a test keeps the two in step.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Serves the credentials of an `aws login` session from the AWS CLI's login cache, refreshing them with the sign-in service (a DPoP-bound refresh token) as the AWS SDKs do.",
		Attributes: []shared.Attribute{
			{Name: "login_session", Type: shared.TypeString, Required: true,
				Description: "The login_session value that `aws login` wrote into the profile in ~/.aws/config: the ARN of the signed-in identity, e.g. arn:aws:iam::111122223333:user/alice."},
			{Name: "cache_dir", Type: shared.TypeString,
				Description: "Directory of the login cache, absolute or starting with ~/; defaults to AWS_LOGIN_CACHE_DIRECTORY, else ~/.aws/login/cache, where the AWS CLI keeps it."},
		},
	},
		// Environment: proxies for the sign-in call, and where the cache is.
		Environment: envvars.Join(envvars.HTTP, envvars.Home, []string{envCacheDir}),
	}, nil
}
