package sso

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "sso". The attribute names
// are the json tags of the config struct; a test keeps the two in step.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Gets role credentials from the IAM Identity Center (AWS SSO) portal with the token that `aws sso login` caches, renewing the token with SSO-OIDC as the AWS CLI does.",
		Attributes: []shared.Attribute{
			{Name: "sso_session", Type: shared.TypeString,
				Description: "Name of the sso-session (as in `aws sso login --sso-session NAME` and [sso-session NAME] in ~/.aws/config) whose cached token is used and renewed; needs sso_start_url. Set this or start_url."},
			{Name: "sso_start_url", Type: shared.TypeString,
				Description: "Start URL of the sso_session's AWS access portal, e.g. https://d-1234567890.awsapps.com/start; checked against the cached token's."},
			{Name: "start_url", Type: shared.TypeString,
				Description: "Start URL of the AWS access portal for the legacy form without sso_session (a profile with sso_start_url, logged in with `aws sso login --profile`); its token cannot be renewed."},
			{Name: "sso_region", Type: shared.TypeString, Required: true,
				Description: "Region of the IAM Identity Center instance, where the portal and SSO-OIDC are called, e.g. us-east-1."},
			{Name: "account_id", Type: shared.TypeString, Required: true,
				Description: "12-digit ID of the AWS account whose role to get credentials for."},
			{Name: "role_name", Type: shared.TypeString, Required: true,
				Description: "Name of the role (the permission set) assigned to you in that account, e.g. ReadOnly."},
			{Name: "cache_dir", Type: shared.TypeString,
				Description: "Directory of the SSO token cache, absolute or starting with ~/; defaults to ~/.aws/sso/cache, where the AWS CLI keeps it."},
			{Name: "oidc_endpoint", Type: shared.TypeString,
				Description: "http(s) URL that replaces the SSO-OIDC endpoint (https://oidc.REGION.amazonaws.com) for renewing the token; the role's endpoint attribute replaces the portal's."},
		},
	},
		// Environment: the AWS SDK's SSO clients (endpoints, proxies), and the token cache
		// and config under ~/.aws.
		Environment: envvars.Join(envvars.AWSSDK, envvars.HTTP, envvars.Home),
	}, nil
}
