package host

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/brs-go/brs/internal/cache"
	"github.com/brs-go/brs/internal/config"
	"github.com/brs-go/brs/shared"
)

// Role is one role of a Host: its settings, its credentials and their state. Get it
// with Host.Role; it is safe for concurrent use and valid until the host is closed.
type Role struct {
	name, source string
	cfg          *config.Role
	plugin       *pluginProc
	config       shared.Config
	cache        *cache.Role
	parent       *Role // source_role, or nil
}

// Name returns the role's name.
func (r *Role) Name() string { return r.name }

// Source returns the name of the role's credential source.
func (r *Role) Source() string { return r.source }

// SourceRole returns the name of the role whose credentials sign this one's requests,
// or "".
func (r *Role) SourceRole() string { return r.cfg.SourceRole }

// Region returns the region set in the role's block, or "".
func (r *Role) Region() string { return r.cfg.Region }

// Endpoint returns the endpoint override set in the role's block, or "".
func (r *Role) Endpoint() string { return r.cfg.Endpoint }

// Provider returns the role's credentials provider. Its Retrieve returns cached
// credentials without waiting while they are valid and outside the mandatory window,
// and it refreshes them in the background ahead of expiry. When there is nothing
// valid to give, its error is a *CredentialsError.
//
// The Expires it reports is the start of the mandatory window rather than the real
// expiry, so an aws.CredentialsCache wrapped around it (config.WithCredentialsProvider
// does that) comes back for the refreshed credentials before the old ones expire.
func (r *Role) Provider() aws.CredentialsProvider { return r.cache }

// AWSConfig returns an aws.Config for the role: the SDK's default configuration
// (shared config files, environment) with the role's region and the role's provider as
// its credentials, not wrapped in another cache. The SDK reads this process's
// environment for it, not the host's (WithEnviron): the configuration is for the
// program's own clients.
func (r *Role) AWSConfig(ctx context.Context, optFns ...func(*awsconfig.LoadOptions) error) (aws.Config, error) {
	p := r.Provider()
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithCredentialsProvider(p)}
	if r.cfg.Region != "" {
		opts = append(opts, awsconfig.WithRegion(r.cfg.Region))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, append(opts, optFns...)...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("brs: role %q: loading the AWS configuration: %w", r.name, err)
	}
	// LoadDefaultConfig wrapped the provider in an aws.CredentialsCache; the role's
	// cache already does everything that one does, and refreshes ahead of expiry.
	cfg.Credentials = p
	return cfg, nil
}

// Credentials returns the role's valid credentials with their real expiry, fetching
// them if needed. It is what `brs credential-process` prints. When there is nothing
// valid to give, the error is a *CredentialsError.
func (r *Role) Credentials(ctx context.Context) (shared.Credentials, error) {
	creds, err := r.cache.Credentials(ctx)
	if err != nil {
		return creds, credentialsError(err)
	}
	return creds, nil
}

// Refresh fetches new credentials now, even if the cached ones are valid, and waits
// for the result. A failed refresh is a *CredentialsError; the cached credentials, if
// still valid, stay in use.
func (r *Role) Refresh(ctx context.Context) error {
	return credentialsError(r.cache.Refresh(ctx))
}

// RoleStatus is the state of one role.
type RoleStatus struct {
	Role, Source string
	// SourceRole is the role whose credentials sign this one's requests, if any.
	SourceRole string
	// Region and Endpoint are the role's region and endpoint override, if set.
	Region, Endpoint string
	// Plugin is the plugin binary, or "in-process".
	Plugin string
	// AccessKeyID, AccountID and ARN describe the cached credentials, where known.
	AccessKeyID, AccountID, ARN string
	// Expires is when the cached credentials expire; zero if none are cached.
	Expires time.Time
	// LastRefresh is when the last successful refresh ended; NextRefresh is when the
	// next background refresh is due (zero if none is scheduled).
	LastRefresh, NextRefresh time.Time
	// Refreshing is true while a refresh runs.
	Refreshing bool
	// Refreshes counts successful refreshes.
	Refreshes int
	// LastError is the last failure since the last success, LastErrorAt its time and
	// Failures the number of consecutive failures.
	LastError   error
	LastErrorAt time.Time
	Failures    int
}

// Status returns the state of the role.
func (r *Role) Status() RoleStatus {
	s := r.cache.Status()
	plug := r.plugin.path
	if r.plugin.inProc {
		plug = "in-process"
	}
	return RoleStatus{
		Role: r.name, Source: r.source, SourceRole: r.cfg.SourceRole, Region: r.cfg.Region, Endpoint: r.cfg.Endpoint, Plugin: plug,
		AccessKeyID: s.AccessKeyID, AccountID: s.AccountID, ARN: s.ARN, Expires: s.Expires,
		LastRefresh: s.LastRefresh, NextRefresh: s.NextRefresh, Refreshing: s.Refreshing,
		Refreshes: s.Refreshes, LastError: s.LastError, LastErrorAt: s.LastErrorAt, Failures: s.Failures,
	}
}
