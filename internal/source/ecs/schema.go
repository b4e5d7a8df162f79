package ecs

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "ecs". The attribute names
// are the json tags of the config struct; a test keeps the two in step.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Reads credentials from a container credentials endpoint: the ECS agent, the EKS Pod Identity agent, or brs serve.",
		Attributes: []shared.Attribute{
			{Name: "uri", Type: shared.TypeString,
				Description: "Full URL of the endpoint, as in AWS_CONTAINER_CREDENTIALS_FULL_URI; plain http only to loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23. Set this or relative_uri."},
			{Name: "relative_uri", Type: shared.TypeString,
				Description: "Path on the ECS agent at http://169.254.170.2, as in AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, e.g. /v2/credentials/ID. Set this or uri."},
			{Name: "token", Type: shared.TypeString, Sensitive: true,
				Description: "Authorization header value the endpoint requires, as in AWS_CONTAINER_AUTHORIZATION_TOKEN; not with token_file."},
			{Name: "token_file", Type: shared.TypeString,
				Description: "Absolute path of a file holding the Authorization header value, read at every refresh, as in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (EKS Pod Identity rotates it); not with token."},
			timeoutAttr,
		},
	},
		// Environment: https endpoints go through the proxies and trust the system's
		// authorities. The AWS_CONTAINER_* variables reach the source only through env()
		// in the role, which the host accounts for.
		Environment: envvars.HTTP,
	}, nil
}

// timeoutAttr is the timeout attribute: the host checks its bounds at load, and
// parseConfig with CheckDuration for callers that skip the host.
var timeoutAttr = shared.Attribute{Name: "timeout", Type: shared.TypeDuration, Min: minTimeout, Max: maxTimeout,
	Description: "How long one request to the endpoint may take, as a duration between 100ms and 5m such as \"5s\"; defaults to 5s."}
