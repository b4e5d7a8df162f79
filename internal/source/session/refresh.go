package session

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/brs-go/brs/internal/source/internal/awsbase"
	"github.com/brs-go/brs/internal/source/internal/mfacode"
	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/plugin/awserr"
	"github.com/brs-go/brs/shared"
)

// Refresh gets a new session and returns its temporary credentials. Errors are
// *shared.Error: permanent for refusals and bad configuration, retryable for
// throttling, server and network failures.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("session", ds)
	}
	if req.Source != nil {
		return shared.Credentials{}, shared.Permanent("InvalidConfig",
			"a session role takes no source_role: GetSessionToken must be signed with an IAM user's long-term key (keyring, profile or the default chain); chain roles on the session role instead")
	}
	cfg, base, err := r.base(ctx, req, s)
	if err != nil {
		return shared.Credentials{}, err
	}
	if base.SessionToken != "" {
		return shared.Credentials{}, shared.Permanent("NoLongTermKey",
			"the base credentials (%s) are temporary, and GetSessionToken takes only an IAM user's long-term key: use keyring = \"NAME\" (brs keys add NAME) or a profile with aws_access_key_id and aws_secret_access_key", base.Source)
	}
	secrets := []string{base.SecretAccessKey}
	in := &awssts.GetSessionTokenInput{DurationSeconds: aws.Int32(int32(s.duration / time.Second))}
	if s.MFASerial != "" {
		code, err := mfacode.Get(ctx, req.Role, s.MFASerial, mfacode.Command{Line: s.MFATokenCommand, Inherit: s.InheritEnv, Env: s.Env}, req.Answers)
		if err != nil {
			return shared.Credentials{}, err
		}
		in.SerialNumber, in.TokenCode = aws.String(s.MFASerial), aws.String(code)
		secrets = append(secrets, code)
	}
	client := awssts.NewFromConfig(cfg, func(o *awssts.Options) {
		if req.Endpoint != "" {
			o.BaseEndpoint = aws.String(req.Endpoint)
		} else if s.Profile != "" {
			o.BaseEndpoint = nil // the profile lends its key, not its endpoint
		}
		o.RetryMaxAttempts = 0
		o.Retryer = awserr.Retryer()
	})
	out, err := client.GetSessionToken(ctx, in)
	if err != nil {
		e := classifier.Classify(ctx, err, "GetSessionToken", "")
		e.Message = awserr.Redact(e.Message, secrets, 6)
		return shared.Credentials{}, e
	}
	c := out.Credentials
	if c == nil || aws.ToString(c.AccessKeyId) == "" || aws.ToString(c.SecretAccessKey) == "" || aws.ToString(c.SessionToken) == "" || c.Expiration == nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "GetSessionToken answered without complete credentials")
	}
	return shared.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		Expires:         c.Expiration.UTC(),
	}, nil
}

// base returns the config GetSessionToken is called with and the long-term key that
// signs it: the keyring's, else the profile's, else the default chain's.
func (r *Refresher) base(ctx context.Context, req *shared.RefreshRequest, s settings) (aws.Config, aws.Credentials, error) {
	if s.Keyring != "" {
		creds, err := awsbase.Keyring(r.openKeyring, s.Keyring)
		if err != nil {
			return aws.Config{}, aws.Credentials{}, err
		}
		return r.loader.Static(ctx, req.Region, creds), creds, nil
	}
	return r.loader.Chain(ctx, s.Profile, req.Region, noCredentials)
}

// noCredentials is the error for a profile, or the default chain, that yields no key.
func noCredentials(profile string, cause error) *shared.Error {
	msg := "no AWS key to sign GetSessionToken with: give the role keyring = \"NAME\" (brs keys add NAME) or a profile, " +
		"or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment brs runs in"
	if profile != "" {
		msg = fmt.Sprintf("AWS profile %q gave no key to sign GetSessionToken with: give it aws_access_key_id and aws_secret_access_key (in the credentials file)", profile)
	}
	return awsbase.NoCredentialsError(msg, cause)
}
