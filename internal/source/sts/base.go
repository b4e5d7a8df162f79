package sts

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/shared"
)

// openKeyring opens the keyring that the keyring attribute reads from, as the
// environment names it (BRS_KEYRING_BACKEND, BRS_KEYRING_PASSPHRASE, BRS_KEYRING_DIR).
var openKeyring = func() (*keyring.Store, error) { return keyring.Open(keyring.Options{}) }

// checkKeyring returns the diagnostics of the keyring attribute.
func checkKeyring(c config) shared.Diagnostics {
	if c.Keyring == "" {
		return nil
	}
	if err := keyring.CheckName(c.Keyring); err != nil {
		return shared.Diagnostics{shared.ErrorDiag("keyring", "Invalid keyring key name", "keyring must name a key added with `brs keys add NAME`: %v.", err)}
	}
	if c.Profile != "" {
		return shared.Diagnostics{shared.ErrorDiag("keyring", "Two base keys", "keyring and profile both name the credentials that sign AssumeRole: keep one of them.")}
	}
	return nil
}

// baseOf is base, with the long-term key of the keyring attribute when there is one.
func (r *Refresher) baseOf(ctx context.Context, req *shared.RefreshRequest, s settings) (aws.Config, aws.Credentials, error) {
	if s.Keyring == "" {
		return r.base(ctx, req, s.Profile)
	}
	if req.Source != nil {
		return aws.Config{}, aws.Credentials{}, shared.Permanent("InvalidConfig",
			"the role names both a source_role and a keyring key (%q) to sign AssumeRole with: keep one of them", s.Keyring)
	}
	store, err := openKeyring()
	if err != nil {
		return aws.Config{}, aws.Credentials{}, shared.Permanent("KeyringUnavailable", "%v", err)
	}
	k, err := store.Get(s.Keyring)
	if err != nil {
		code := "KeyringUnavailable"
		if errors.Is(err, keyring.ErrNotFound) {
			code = "KeyNotFound"
		}
		return aws.Config{}, aws.Credentials{}, shared.Permanent(code, "%v", err)
	}
	// The key lends itself as a source_role's credentials would: same region rules,
	// same HTTP client.
	src := *req
	src.Source = &shared.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}
	cfg, creds, err := r.base(ctx, &src, "")
	creds.Source = "brs keyring " + s.Keyring
	return cfg, creds, err
}

// fallbackRegion is used when neither the role nor the default AWS config names a
// region; STS answers in every region, and us-east-1 is where the global endpoint is.
const fallbackRegion = "us-east-1"

// base returns the configuration AssumeRole is called with: the region, the HTTP client
// and the base credentials that sign the call, and those credentials (so errors can be
// scrubbed of them). The credentials are the source_role's, else those of the AWS
// profile named by the role's profile attribute, else the default chain's.
func (r *Refresher) base(ctx context.Context, req *shared.RefreshRequest, profile string) (aws.Config, aws.Credentials, error) {
	if req.Source != nil && profile != "" {
		return aws.Config{}, aws.Credentials{}, shared.Permanent("InvalidConfig",
			"the role names both a source_role and an AWS profile (%q) to sign AssumeRole with: keep one of them", profile)
	}
	if src := req.Source; src != nil {
		if src.AccessKeyID == "" || src.SecretAccessKey == "" {
			return aws.Config{}, aws.Credentials{}, shared.Permanent("NoCredentials",
				"the source_role's credentials are empty: check the role named by source_role")
		}
		region := req.Region
		if region == "" {
			// The default config only lends its region here; failing to load it is
			// no reason to fail a chained refresh.
			if cfg, err := r.defaultConfig(ctx, "", ""); err == nil {
				region = cfg.Region
			}
		}
		if region == "" {
			region = fallbackRegion
		}
		creds := aws.Credentials{
			AccessKeyID: src.AccessKeyID, SecretAccessKey: src.SecretAccessKey, SessionToken: src.SessionToken,
			Source: "brs source_role",
		}
		return aws.Config{
			Region:      region,
			HTTPClient:  r.httpClient,
			Credentials: credentials.StaticCredentialsProvider{Value: creds},
		}, creds, nil
	}

	cfg, err := r.defaultConfig(ctx, profile, req.Region)
	if err != nil {
		return aws.Config{}, aws.Credentials{}, err
	}
	if cfg.Region == "" {
		cfg.Region = fallbackRegion
	}
	if cfg.Credentials == nil {
		return aws.Config{}, aws.Credentials{}, noCredentials(profile, nil)
	}
	// Fetch the base credentials before calling STS, so that a missing one is told
	// apart from a refused AssumeRole. cfg.Credentials is an aws.CredentialsCache: this
	// is free while they are valid.
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return aws.Config{}, aws.Credentials{}, shared.Retryable("Canceled", "the refresh was cancelled while fetching the base credentials: %v", ctx.Err())
		}
		return aws.Config{}, aws.Credentials{}, noCredentials(profile, err)
	}
	return cfg, creds, nil
}

// configKey identifies one loaded AWS config: the profile named in the role ("" for
// the default one, AWS_PROFILE's) and the requested region ("" for none).
type configKey struct {
	profile, region string
}

// defaultConfig returns the AWS config (environment and shared files) of this process
// for profile ("" for the default) and region, loading it once per pair.
func (r *Refresher) defaultConfig(ctx context.Context, profile, region string) (aws.Config, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := configKey{profile, region}
	if cfg, ok := r.defaults[key]; ok {
		return cfg, nil
	}
	var opts []func(*awsconfig.LoadOptions) error
	if region != "" {
		opts = append(opts, awsconfig.WithRegion(region))
	}
	if profile != "" {
		// A profile set here wins over AWS_PROFILE and over keys in the environment,
		// as --profile does for the AWS CLI.
		opts = append(opts, awsconfig.WithSharedConfigProfile(profile))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		if profile != "" {
			return aws.Config{}, shared.Permanent("InvalidAWSConfig",
				"loading AWS profile %q failed: %v; check that AWS_CONFIG_FILE (default ~/.aws/config) or AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) defines it", profile, err)
		}
		return aws.Config{}, shared.Permanent("InvalidAWSConfig",
			"loading the default AWS configuration failed: %v; check AWS_PROFILE, AWS_CONFIG_FILE and the files they name", err)
	}
	r.defaults[key] = cfg
	return cfg, nil
}

// noCredentials is the error for a profile, or the default chain when profile is
// empty, that yields no credentials.
func noCredentials(profile string, cause error) *shared.Error {
	msg := "no AWS credentials to sign AssumeRole with: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
		"in the environment brs runs in, or give the role a source_role or a profile"
	if profile != "" {
		msg = fmt.Sprintf("AWS profile %q gave no credentials to sign AssumeRole with: give it aws_access_key_id and aws_secret_access_key "+
			"(in the credentials file), or another credential setting the AWS CLI understands", profile)
	}
	if cause != nil {
		msg += " (credential chain: " + cause.Error() + ")"
	}
	return &shared.Error{Code: "NoCredentials", Message: msg}
}
