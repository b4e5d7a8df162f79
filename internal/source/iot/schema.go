package iot

import (
	"context"

	"github.com/brs-go/brs/plugin/envvars"
	"github.com/brs-go/brs/shared"
)

// Schema describes the config block of a role with source = "iot". The attribute names
// are the json tags of the config struct; a test keeps the two in step.
func (r *Refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Exchanges a device's X.509 certificate for the credentials of the IAM role behind an AWS IoT role alias (the AWS IoT Core credentials provider).",
		Attributes: []shared.Attribute{
			{Name: "endpoint", Type: shared.TypeString, Required: true,
				Description: "The account's credentials provider endpoint (aws iot describe-endpoint --endpoint-type iot:CredentialProvider), as a host name, host:port or https:// URL."},
			{Name: "role_alias", Type: shared.TypeString, Required: true,
				Description: "Name of the AWS IoT role alias that points at the IAM role to get credentials for."},
			{Name: "thing_name", Type: shared.TypeString,
				Description: "Name of the IoT thing the certificate is attached to, sent as x-amzn-iot-thingname; needed when the certificate's policy uses credentials-iot:ThingName or thing attributes."},
			{Name: "cert", Type: shared.TypeString, Required: true,
				Description: "Absolute path of the device certificate, PEM, read at every refresh (followed by its intermediate CA certificates, if any)."},
			{Name: "key", Type: shared.TypeString, Required: true,
				Description: "Absolute path of the certificate's private key, unencrypted PEM, read at every refresh."},
			{Name: "ca", Type: shared.TypeString,
				Description: "Absolute path of the PEM CA bundle that verifies the endpoint's certificate, read at every refresh; defaults to the system's roots, which include Amazon Root CA 1."},
			timeoutAttr,
		},
	},
		// Environment: the endpoint is reached through the proxies and trusts the
		// system's authorities unless ca_file is set.
		Environment: envvars.HTTP,
	}, nil
}

// timeoutAttr is the timeout attribute: the host checks its bounds at load, and
// parseConfig with CheckDuration for callers that skip the host.
var timeoutAttr = shared.Attribute{Name: "timeout", Type: shared.TypeDuration, Min: minTimeout, Max: maxTimeout,
	Description: "How long one request may take, as a duration between 100ms and 5m such as \"10s\"; defaults to 10s."}
