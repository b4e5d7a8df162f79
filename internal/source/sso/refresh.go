package sso

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssso "github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/plugin/awserr"
	"github.com/brs-go/brs/shared"
)

// Refresh returns the role's credentials from the portal, signed in with the cached SSO
// token (renewed first if it is close to expiry). Errors are *shared.Error: permanent
// when only a login or a config change can help, retryable for throttling, server and
// network failures.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	c, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("sso", ds)
	}
	path, err := c.cachePath()
	if err != nil {
		return shared.Credentials{}, err
	}
	token, err := r.accessToken(ctx, c, path)
	if err != nil {
		return shared.Credentials{}, err
	}

	client := awssso.New(awssso.Options{
		Region:       c.SSORegion,
		BaseEndpoint: endpoint(req.Endpoint),
		HTTPClient:   r.httpClient,
		Retryer:      awserr.Retryer(),
	})
	out, err := client.GetRoleCredentials(ctx, &awssso.GetRoleCredentialsInput{
		AccessToken: aws.String(token),
		AccountId:   aws.String(c.AccountID),
		RoleName:    aws.String(c.RoleName),
	})
	if err != nil {
		return shared.Credentials{}, c.portalError(ctx, err, path, []string{token})
	}
	rc := out.RoleCredentials
	if rc == nil || aws.ToString(rc.AccessKeyId) == "" || aws.ToString(rc.SecretAccessKey) == "" || rc.Expiration == 0 {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "GetRoleCredentials answered without complete credentials")
	}
	return shared.Credentials{
		AccessKeyID:     aws.ToString(rc.AccessKeyId),
		SecretAccessKey: aws.ToString(rc.SecretAccessKey),
		SessionToken:    aws.ToString(rc.SessionToken),
		Expires:         time.UnixMilli(rc.Expiration).UTC(),
		AccountID:       c.AccountID,
	}, nil
}

// endpoint returns an endpoint override for the SDK: nil for "", the SDK's default.
func endpoint(url string) *string {
	if url == "" {
		return nil
	}
	return aws.String(url)
}
