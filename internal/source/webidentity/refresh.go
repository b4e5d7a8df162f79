package webidentity

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/internal/source/internal/stsparams"
	"github.com/brs-go/brs/plugin/awserr"
	"github.com/brs-go/brs/shared"
)

// Refresh reads the token, exchanges it for the role's temporary credentials with
// AssumeRoleWithWebIdentity, and returns them. Errors are *shared.Error: see classify
// for which are retryable.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("web_identity", ds)
	}
	if req.Source != nil {
		return shared.Credentials{}, shared.Permanent("SourceRoleUnsupported",
			"AssumeRoleWithWebIdentity is not signed (the token is the identity), so a web_identity role cannot use a source_role's credentials; remove source_role from the role")
	}
	token, from, err := r.token(ctx, s)
	if err != nil {
		return shared.Credentials{}, err
	}
	if err := checkExpiry(token, from, time.Now()); err != nil {
		return shared.Credentials{}, err
	}

	client := awssts.NewFromConfig(aws.Config{
		Region:      r.regionFor(ctx, req),
		HTTPClient:  r.httpClient,
		Credentials: anonymous,
	}, func(o *awssts.Options) {
		if req.Endpoint != "" {
			o.BaseEndpoint = aws.String(req.Endpoint)
		}
		o.Retryer = awserr.Retryer()
	})
	start := time.Now()
	out, err := client.AssumeRoleWithWebIdentity(ctx, s.input(req.Role, token))
	if err != nil {
		e := classify(ctx, err, s.RoleARN, from, token)
		r.log.Debug("AssumeRoleWithWebIdentity failed", "role", req.Role, "code", e.Code, "retryable", e.Retryable)
		return shared.Credentials{}, e
	}
	creds, err := credentialsFrom(out)
	if err != nil {
		return shared.Credentials{}, err
	}
	r.log.Debug("assumed role with web identity", "role", req.Role, "role_arn", s.RoleARN, "token_from", from,
		"access_key_id", creds.AccessKeyID, "expires", creds.Expires.Format(time.RFC3339), "took", time.Since(start).String())
	return creds, nil
}

// input returns the AssumeRoleWithWebIdentity parameters of the settings.
func (s settings) input(role, token string) *awssts.AssumeRoleWithWebIdentityInput {
	in := &awssts.AssumeRoleWithWebIdentityInput{
		RoleArn:          aws.String(s.RoleARN),
		RoleSessionName:  aws.String(stsparams.SessionName(s.SessionName, role)),
		WebIdentityToken: aws.String(token),
		DurationSeconds:  aws.Int32(int32(s.duration / time.Second)),
	}
	if s.Policy != "" {
		in.Policy = aws.String(s.Policy)
	}
	for _, a := range s.PolicyARNs {
		in.PolicyArns = append(in.PolicyArns, types.PolicyDescriptorType{Arn: aws.String(a)})
	}
	return in
}

// credentialsFrom converts a successful AssumeRoleWithWebIdentity response.
func credentialsFrom(out *awssts.AssumeRoleWithWebIdentityOutput) (shared.Credentials, error) {
	c := out.Credentials
	if c == nil || aws.ToString(c.AccessKeyId) == "" || aws.ToString(c.SecretAccessKey) == "" || c.Expiration == nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "AssumeRoleWithWebIdentity answered without complete credentials")
	}
	creds := shared.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		Expires:         c.Expiration.UTC(),
	}
	if u := out.AssumedRoleUser; u != nil {
		creds.ARN = aws.ToString(u.Arn)
		creds.AccountID = stsparams.AccountID(creds.ARN)
	}
	return creds, nil
}
