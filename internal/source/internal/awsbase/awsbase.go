// Package awsbase finds the credentials that sign a source's STS call and the AWS
// configuration it is made with, for the sts and session sources: credentials given
// to the source (a source_role's, a keyring key), else those of an AWS profile, else
// the default AWS credential chain of the process the source runs in.
package awsbase

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/shared"
)

// FallbackRegion is used when neither the role nor the default AWS config names a
// region; STS answers in every region, and us-east-1 is where the global endpoint is.
const FallbackRegion = "us-east-1"

// Loader loads the AWS configuration of this process, once per profile and region,
// and builds configurations that sign with given credentials. It is safe for
// concurrent use. Create one with NewLoader.
type Loader struct {
	// httpClient sends the calls signed with given credentials, so that successive
	// refreshes reuse connections. Calls signed by a profile or the default chain use
	// the HTTP client of that aws.Config (which honours AWS_CA_BUNDLE).
	httpClient *awshttp.BuildableClient

	mu sync.Mutex
	// defaults caches the AWS config per profile and requested region, so that the
	// shared files are read, and the credentials fetched, once rather than at every
	// refresh; aws.Config.Credentials is an aws.CredentialsCache.
	defaults map[configKey]aws.Config
}

// NewLoader returns a Loader with an empty cache.
func NewLoader() *Loader {
	return &Loader{httpClient: awshttp.NewBuildableClient(), defaults: make(map[configKey]aws.Config)}
}

// configKey identifies one loaded AWS config: the profile named in the role ("" for
// the default one, AWS_PROFILE's) and the requested region ("" for none).
type configKey struct {
	profile, region string
}

// Config returns the AWS config (environment and shared files) of this process for
// profile ("" for the default) and region ("" for the config's own). A failure is a
// permanent *shared.Error.
func (l *Loader) Config(ctx context.Context, profile, region string) (aws.Config, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := configKey{profile, region}
	if cfg, ok := l.defaults[key]; ok {
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
	l.defaults[key] = cfg
	return cfg, nil
}

// Static returns the configuration of a call signed with creds: region, else the
// default config's region, else FallbackRegion. The default config only lends its
// region here; failing to load it is no reason to fail.
func (l *Loader) Static(ctx context.Context, region string, creds aws.Credentials) aws.Config {
	if region == "" {
		if cfg, err := l.Config(ctx, "", ""); err == nil {
			region = cfg.Region
		}
	}
	if region == "" {
		region = FallbackRegion
	}
	return aws.Config{
		Region:      region,
		HTTPClient:  l.httpClient,
		Credentials: credentials.StaticCredentialsProvider{Value: creds},
	}
}

// Chain returns the configuration of a call signed by profile's credentials ("" for
// the default chain's) in region, and those credentials, fetched now so that a
// missing one is told apart from a refused call. noCredentials makes the error for a
// profile or chain that yields none (cause is nil when there is no provider at all).
func (l *Loader) Chain(ctx context.Context, profile, region string, noCredentials func(profile string, cause error) *shared.Error) (aws.Config, aws.Credentials, error) {
	cfg, err := l.Config(ctx, profile, region)
	if err != nil {
		return aws.Config{}, aws.Credentials{}, err
	}
	if cfg.Region == "" {
		cfg.Region = FallbackRegion
	}
	if cfg.Credentials == nil {
		return aws.Config{}, aws.Credentials{}, noCredentials(profile, nil)
	}
	// cfg.Credentials is an aws.CredentialsCache: this is free while they are valid.
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return aws.Config{}, aws.Credentials{}, shared.Retryable("Canceled", "the refresh was cancelled while fetching the base credentials: %v", ctx.Err())
		}
		return aws.Config{}, aws.Credentials{}, noCredentials(profile, err)
	}
	return cfg, creds, nil
}

// NoCredentialsError is the error for a profile, or the default chain, that yields no
// credentials: msg says what to do, cause (if any) is the chain's own error.
func NoCredentialsError(msg string, cause error) *shared.Error {
	if cause != nil {
		msg += " (credential chain: " + cause.Error() + ")"
	}
	return &shared.Error{Code: "NoCredentials", Message: msg}
}

// Keyring returns the long-term key called name in the keyring that open opens, or a
// permanent *shared.Error: KeyNotFound, or KeyringUnavailable (no backend, a wrong
// passphrase). Its Source names the key.
func Keyring(open func() (*keyring.Store, error), name string) (aws.Credentials, error) {
	store, err := open()
	if err != nil {
		return aws.Credentials{}, shared.Permanent("KeyringUnavailable", "%v", err)
	}
	k, err := store.Get(name)
	if errors.Is(err, keyring.ErrNotFound) {
		return aws.Credentials{}, shared.Permanent("KeyNotFound", "%v", err)
	}
	if err != nil {
		return aws.Credentials{}, shared.Permanent("KeyringUnavailable", "%v", err)
	}
	return aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey, Source: fmt.Sprintf("brs keyring %s", name)}, nil
}
