package sso

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/brs-go/brs/plugin/awserr"
	"github.com/brs-go/brs/shared"
)

// renewToken renews tok with SSO-OIDC CreateToken (grant type refresh_token) and
// returns the renewed token; it does not write it.
func (r *Refresher) renewToken(ctx context.Context, c config, path string, tok *cachedToken) (*cachedToken, error) {
	client := ssooidc.New(ssooidc.Options{
		Region:       c.SSORegion,
		BaseEndpoint: endpoint(c.OIDCEndpoint),
		HTTPClient:   r.httpClient,
		Retryer:      awserr.Retryer(),
	})
	// The expiry counts from before the call, so that it is never later than the
	// server's.
	start := time.Now()
	out, err := client.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     aws.String(tok.ClientID),
		ClientSecret: aws.String(tok.ClientSecret),
		GrantType:    aws.String("refresh_token"),
		RefreshToken: aws.String(tok.RefreshToken),
	})
	if err != nil {
		return nil, c.oidcError(ctx, err, path, tok.secrets())
	}
	if aws.ToString(out.AccessToken) == "" || out.ExpiresIn <= 0 {
		return nil, shared.Retryable("InvalidResponse", "SSO-OIDC CreateToken answered without an access token or its lifetime")
	}
	expires := start.Add(time.Duration(out.ExpiresIn) * time.Second)
	return tok.renewed(aws.ToString(out.AccessToken), expires, aws.ToString(out.RefreshToken)), nil
}
