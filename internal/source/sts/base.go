package sts

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/internal/source/internal/awsbase"
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

// baseOf returns the configuration AssumeRole is called with: the region, the HTTP
// client and the base credentials that sign the call, and those credentials (so errors
// can be scrubbed of them). The credentials are the source_role's, else the keyring
// key's, else those of the AWS profile named by the role's profile attribute, else the
// default chain's.
func (r *Refresher) baseOf(ctx context.Context, req *shared.RefreshRequest, s settings) (aws.Config, aws.Credentials, error) {
	switch {
	case req.Source != nil && s.Profile != "":
		return aws.Config{}, aws.Credentials{}, shared.Permanent("InvalidConfig",
			"the role names both a source_role and an AWS profile (%q) to sign AssumeRole with: keep one of them", s.Profile)
	case req.Source != nil && s.Keyring != "":
		return aws.Config{}, aws.Credentials{}, shared.Permanent("InvalidConfig",
			"the role names both a source_role and a keyring key (%q) to sign AssumeRole with: keep one of them", s.Keyring)
	case req.Source != nil:
		src := req.Source
		if src.AccessKeyID == "" || src.SecretAccessKey == "" {
			return aws.Config{}, aws.Credentials{}, shared.Permanent("NoCredentials",
				"the source_role's credentials are empty: check the role named by source_role")
		}
		creds := aws.Credentials{
			AccessKeyID: src.AccessKeyID, SecretAccessKey: src.SecretAccessKey, SessionToken: src.SessionToken,
			Source: "brs source_role",
		}
		return r.base.Static(ctx, req.Region, creds), creds, nil
	case s.Keyring != "":
		// The key lends itself as a source_role's credentials would: same region
		// rules, same HTTP client.
		creds, err := awsbase.Keyring(openKeyring, s.Keyring)
		if err != nil {
			return aws.Config{}, aws.Credentials{}, err
		}
		return r.base.Static(ctx, req.Region, creds), creds, nil
	}
	return r.base.Chain(ctx, s.Profile, req.Region, noCredentials)
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
	return awsbase.NoCredentialsError(msg, cause)
}
