// Package sso is the built-in "sso" credential source: it gets a role's temporary
// credentials from the IAM Identity Center (formerly AWS SSO) portal with
// GetRoleCredentials, signed in with the access token that `aws sso login` keeps in
// the AWS CLI's token cache.
//
// The cache is the AWS CLI v2's own: ~/.aws/sso/cache (or cache_dir), one JSON file
// per SSO session named by the hex SHA-1 of the sso_session name, or of the start URL
// for the legacy form without an sso_session. brs reads the files the AWS CLI writes
// and writes files the AWS CLI (and every AWS SDK) reads, so one `aws sso login` serves
// both.
//
// When the access token is within 15 minutes of its expiry (the AWS CLI's and
// botocore's window) and the cache file holds a refresh token and client registration
// (sso_session form), the source renews it with SSO-OIDC CreateToken and writes the
// cache file back atomically (a temporary file in the same directory, mode 0600,
// renamed over the old one), keeping every field it does not know. A token that
// cannot be renewed is used while it is valid; after that the refresh fails with a
// permanent error that names the `aws sso login` command to run.
//
// Unlike aws-sdk-go-v2's credentials/ssocreds, which renews a token only once it has
// expired and writes the file with the old file's mode, this package renews ahead of
// expiry, always writes mode 0600, keeps the old refresh token when CreateToken returns
// none, and serializes renewals of one cache file within the process, so that roles
// sharing an SSO session never spend one refresh token twice. It reuses the SDK's API
// clients (service/sso, service/ssooidc).
//
// cmd/brs-plugin-sso serves New() as a plugin; host.WithRefresher can run it in-process.
package sso
