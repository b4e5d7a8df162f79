package login

import (
	"context"
	"errors"
	"io/fs"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	"github.com/aws/aws-sdk-go-v2/service/signin/types"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/plugin/awserr"
	"github.com/brs-go/brs/shared"
)

const (
	// renewWindow is how long before their expiry the cached credentials are renewed.
	// The sign-in service issues them for 15 minutes and the host refreshes 5 minutes
	// ahead, so credentials given out have at least 10 minutes left and the host
	// comes back after 5 or more.
	renewWindow = 10 * time.Minute
	// minLife is the least validity another process's renewed credentials must have
	// to be used after a renewal of this one failed.
	minLife = time.Minute
)

// Refresh returns the session's credentials from the cache file, renewed first with
// the sign-in service when they are close to expiry. Errors are *shared.Error:
// permanent when only `aws login` or a config change can help, retryable for
// throttling, server and network failures.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	c, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("login", ds)
	}
	path, err := c.cachePath()
	if err != nil {
		return shared.Credentials{}, err
	}
	unlock, err := r.lock(ctx, path)
	if err != nil {
		return shared.Credentials{}, shared.Retryable("Canceled", "the refresh was cancelled while waiting for another refresh of the aws login session: %v", err)
	}
	defer unlock()

	tok, err := r.loadToken(c, path)
	if err != nil {
		return shared.Credentials{}, err
	}
	now := r.clock.Now()
	if tok.hasCredentials() && now.Before(tok.ExpiresAt.Add(-renewWindow)) {
		return tok.credentials(), nil
	}
	if req.Region == "" && req.Endpoint == "" {
		return shared.Credentials{}, shared.Permanent("MissingRegion",
			"the role has no region, and the sign-in service that refreshes an aws login session is regional: set the role's region to the one of your profile (the region you signed in to)")
	}

	fresh, renewErr := r.renew(ctx, c, req, path, tok)
	if renewErr == nil {
		r.remember(path, fresh)
		if err := r.writeToken(path, fresh); err != nil {
			r.logger.Warn("could not save the renewed aws login session; this process keeps using it, and the AWS CLI must sign in again",
				"path", path, "error", awserr.Redact(err.Error(), append(tok.secrets(), fresh.secrets()...), 8))
		} else {
			r.logger.Info("renewed the aws login session's credentials", "path", path, "expires", fresh.ExpiresAt.Format(time.RFC3339))
		}
		return fresh.credentials(), nil
	}
	// Another process (the AWS CLI, an SDK, another brs) may have renewed the session
	// meanwhile, spending the refresh token this one tried.
	if other, err := r.loadToken(c, path); err == nil && other.RefreshToken != tok.RefreshToken &&
		other.hasCredentials() && now.Before(other.ExpiresAt.Add(-minLife)) {
		return other.credentials(), nil
	}
	return shared.Credentials{}, renewErr
}

// renew spends tok's refresh token at the sign-in service and returns the renewed
// token; it does not write it.
func (r *Refresher) renew(ctx context.Context, c config, req *shared.RefreshRequest, path string, tok *cachedToken) (*cachedToken, error) {
	opts := signin.Options{
		Region:     req.Region,
		HTTPClient: r.httpClient,
		Retryer:    awserr.Retryer(),
	}
	if opts.Region == "" {
		opts.Region = "us-east-1" // only names the endpoint, which req.Endpoint replaces
	}
	if req.Endpoint != "" {
		opts.BaseEndpoint = aws.String(req.Endpoint)
	}
	client := signin.New(opts)
	// The expiry counts from before the call, so that it is never later than the
	// service's.
	start := r.clock.Now()
	out, err := client.CreateOAuth2Token(ctx, &signin.CreateOAuth2TokenInput{
		TokenInput: &types.CreateOAuth2TokenRequestBody{
			ClientId:     aws.String(tok.ClientID),
			GrantType:    aws.String("refresh_token"),
			RefreshToken: aws.String(tok.RefreshToken),
		},
	}, withDPoP(tok.Key, r.clock.Now))
	if err != nil {
		return nil, c.signinError(ctx, err, path, tok.secrets())
	}
	o := out.TokenOutput
	if o == nil || o.AccessToken == nil || aws.ToString(o.AccessToken.AccessKeyId) == "" || aws.ToString(o.AccessToken.SecretAccessKey) == "" ||
		aws.ToString(o.AccessToken.SessionToken) == "" || o.ExpiresIn == nil || *o.ExpiresIn <= 0 {
		return nil, shared.Retryable("InvalidResponse", "the sign-in service answered CreateOAuth2Token without complete credentials or their lifetime")
	}
	expires := start.Add(time.Duration(*o.ExpiresIn) * time.Second)
	return tok.renewed(aws.ToString(o.AccessToken.AccessKeyId), aws.ToString(o.AccessToken.SecretAccessKey),
		aws.ToString(o.AccessToken.SessionToken), expires, aws.ToString(o.RefreshToken)), nil
}

// loadToken returns the token of the cache file at path, or the one this process last
// renewed for it if that one expires later (the file could not be written).
func (r *Refresher) loadToken(c config, path string) (*cachedToken, error) {
	tok, err := readTokenFile(path)
	mine := r.remembered(path)
	if mine != nil && (err != nil || mine.ExpiresAt.After(tok.ExpiresAt)) {
		return mine, nil
	}
	var ue *untrustedError
	switch {
	case err == nil:
		return tok, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, shared.Permanent("LoginSessionNotFound", "no aws login session at %s: %s", path, c.loginAdvice(path))
	case errors.As(err, &ue):
		return nil, shared.Permanent("UntrustedLoginCache", "%s", ue.Error())
	case errors.Is(err, boundedfile.ErrNotRegular), errors.Is(err, boundedfile.ErrTooLarge):
		var fe *boundedfile.Error
		errors.As(err, &fe)
		return nil, shared.Permanent("InvalidLoginCache", "the aws login cache file %s cannot be used: %s; %s", path, fe.Reason, c.loginAdvice(path))
	case errors.Is(err, fs.ErrPermission):
		return nil, shared.Permanent("LoginCacheUnreadable", "cannot read the aws login cache file %s: permission denied; make it readable by the user brs runs as, or %s", path, c.loginAdvice(path))
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return nil, shared.Permanent("LoginCacheUnreadable", "cannot read the aws login cache file: %v", err)
	}
	return nil, shared.Permanent("InvalidLoginCache", "the aws login cache file %s cannot be used: %v; %s", path, err, c.loginAdvice(path))
}
