package sts

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/brs-go/brs/internal/source/internal/mfacode"
	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/internal/source/internal/stsparams"
	"github.com/brs-go/brs/plugin/awserr"
	"github.com/brs-go/brs/shared"
)

// Refresh assumes the configured role and returns its temporary credentials. Errors
// are *shared.Error: permanent for refusals and bad configuration, retryable for
// throttling, server and network failures.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("sts", ds)
	}
	base, baseCreds, err := r.baseOf(ctx, req, s)
	if err != nil {
		return shared.Credentials{}, err
	}
	secrets := []string{baseCreds.SecretAccessKey, baseCreds.SessionToken}

	in := s.assumeRoleInput(req.Role)
	if s.MFASerial != "" {
		code, err := mfacode.Get(ctx, req.Role, s.MFASerial, mfacode.Command{Line: s.MFATokenCommand, Inherit: s.InheritEnv, Env: s.Env}, req.Answers)
		if err != nil {
			return shared.Credentials{}, err
		}
		in.SerialNumber = aws.String(s.MFASerial)
		in.TokenCode = aws.String(code)
		secrets = append(secrets, code)
	}

	client := awssts.NewFromConfig(base, func(o *awssts.Options) {
		switch {
		case req.Endpoint != "":
			o.BaseEndpoint = aws.String(req.Endpoint)
		case s.Profile != "":
			// The profile lends its credentials, not its endpoint_url or services: the
			// role's own endpoint decides, as the top-level profile does in the AWS CLI.
			o.BaseEndpoint = nil
		}
		o.RetryMaxAttempts = 0 // ignore AWS_MAX_ATTEMPTS: the retryer below decides
		o.Retryer = awserr.Retryer()
	})
	out, err := client.AssumeRole(ctx, in)
	if err != nil {
		return shared.Credentials{}, classify(ctx, err, s.RoleARN, secrets)
	}
	return credentialsFrom(out)
}

// assumeRoleInput returns the AssumeRole parameters of the settings, without MFA.
func (s settings) assumeRoleInput(role string) *awssts.AssumeRoleInput {
	in := &awssts.AssumeRoleInput{
		RoleArn:           aws.String(s.RoleARN),
		RoleSessionName:   aws.String(stsparams.SessionName(s.SessionName, role)),
		DurationSeconds:   aws.Int32(int32(s.duration / time.Second)),
		TransitiveTagKeys: s.TransitiveTagKeys,
	}
	if s.ExternalID != "" {
		in.ExternalId = aws.String(s.ExternalID)
	}
	if s.Policy != "" {
		in.Policy = aws.String(s.Policy)
	}
	if s.SourceIdentity != "" {
		in.SourceIdentity = aws.String(s.SourceIdentity)
	}
	for _, a := range s.PolicyARNs {
		in.PolicyArns = append(in.PolicyArns, types.PolicyDescriptorType{Arn: aws.String(a)})
	}
	// Sorted, so that the same config always sends the same request.
	for _, k := range slices.Sorted(maps.Keys(s.Tags)) {
		in.Tags = append(in.Tags, types.Tag{Key: aws.String(k), Value: aws.String(s.Tags[k])})
	}
	return in
}

// credentialsFrom converts a successful AssumeRole response.
func credentialsFrom(out *awssts.AssumeRoleOutput) (shared.Credentials, error) {
	c := out.Credentials
	if c == nil || aws.ToString(c.AccessKeyId) == "" || aws.ToString(c.SecretAccessKey) == "" || c.Expiration == nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "AssumeRole answered without complete credentials")
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
