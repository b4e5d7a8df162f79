package sso

import (
	"context"
	"errors"
	"io/fs"
	"time"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/shared"
)

const (
	// renewWindow is how long before its expiry a token is renewed: botocore's and
	// the AWS CLI's window, so that brs and the AWS CLI behave alike on a shared cache.
	renewWindow = 15 * time.Minute
	// minTokenLife is the least validity a token must have left to be sent to the
	// portal without renewal, so that it does not expire in flight.
	minTokenLife = time.Minute
)

// accessToken returns a valid access token for c's SSO session, from the cache file at
// path, renewing it (and rewriting the file) when it is close to expiry. It holds the
// file's lock meanwhile.
func (r *Refresher) accessToken(ctx context.Context, c config, path string) (string, error) {
	unlock, err := r.lock(ctx, path)
	if err != nil {
		return "", shared.Retryable("Canceled", "the refresh was cancelled while waiting for another refresh of the SSO token: %v", err)
	}
	defer unlock()

	tok, err := r.loadToken(c, path)
	if err != nil {
		return "", err
	}
	now := time.Now()
	if now.Before(tok.ExpiresAt.Add(-renewWindow)) {
		return tok.AccessToken, nil
	}
	if !tok.renewable(now) {
		if usable(tok, now) {
			return tok.AccessToken, nil
		}
		return "", c.expiredError(tok, path, now)
	}

	fresh, renewErr := r.renewToken(ctx, c, path, tok)
	if renewErr == nil {
		r.remember(path, fresh)
		if err := r.writeToken(path, fresh); err != nil {
			r.logger.Warn("could not save the renewed SSO token; this process keeps using it",
				"path", path, "error", redact(err.Error(), append(tok.secrets(), fresh.secrets()...)))
		} else {
			r.logger.Info("renewed the SSO token", "path", path, "expires", fresh.ExpiresAt.Format(time.RFC3339))
		}
		return fresh.AccessToken, nil
	}

	// Another process (the AWS CLI, another brs) may have renewed the token or
	// logged in again meanwhile, spending the refresh token this one tried.
	if other, err := r.loadToken(c, path); err == nil && other.AccessToken != tok.AccessToken && usable(other, now) {
		return other.AccessToken, nil
	}
	if usable(tok, now) {
		r.logger.Warn("could not renew the SSO token; using it until it expires",
			"path", path, "expires", tok.ExpiresAt.Format(time.RFC3339), "error", renewErr.Error())
		return tok.AccessToken, nil
	}
	return "", renewErr
}

// usable reports whether tok is valid for long enough to be sent as it is.
func usable(tok *cachedToken, now time.Time) bool {
	return now.Before(tok.ExpiresAt.Add(-minTokenLife))
}

// loadToken returns the token of the cache file at path, or the one this process last
// renewed for it if that one expires later (the file could not be written).
func (r *Refresher) loadToken(c config, path string) (*cachedToken, error) {
	tok, err := readTokenFile(path)
	mine := r.remembered(path)
	if mine != nil && (err != nil || mine.ExpiresAt.After(tok.ExpiresAt)) {
		return mine, nil
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, shared.Permanent("SSOTokenNotFound", "no cached SSO token at %s: %s", path, c.loginAdvice(path))
	case errors.Is(err, errNoToken):
		return nil, shared.Permanent("SSOTokenNotFound", "the SSO token cache file %s holds no token: %s", path, c.loginAdvice(path))
	case errors.Is(err, boundedfile.ErrNotRegular), errors.Is(err, boundedfile.ErrTooLarge):
		var fe *boundedfile.Error
		errors.As(err, &fe)
		return nil, shared.Permanent("InvalidSSOTokenCache", "the SSO token cache file %s cannot be used: %s; %s", path, fe.Reason, c.loginAdvice(path))
	case errors.Is(err, fs.ErrPermission):
		return nil, shared.Permanent("SSOTokenUnreadable", "cannot read the SSO token cache file %s: permission denied; make it readable by the user brs runs as, or %s", path, c.loginAdvice(path))
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, shared.Permanent("SSOTokenUnreadable", "cannot read the SSO token cache file: %v", err)
		}
		return nil, shared.Permanent("InvalidSSOTokenCache", "the SSO token cache file %s cannot be used: %v; %s", path, err, c.loginAdvice(path))
	}
	if tok.StartURL != "" && trimSlash(tok.StartURL) != trimSlash(c.startURL()) {
		return nil, shared.Permanent("SSOStartURLMismatch",
			"the cached SSO token at %s is for the start URL %s, not %s: make the role's start URL and the one in ~/.aws/config agree, then %s",
			path, tok.StartURL, c.startURL(), c.loginAdvice(path))
	}
	return tok, nil
}

// expiredError is the error for a token that has expired and cannot be renewed.
func (c config) expiredError(tok *cachedToken, path string, now time.Time) *shared.Error {
	var why string
	switch {
	case c.SSOSession == "" && !tok.hasRefreshToken():
		why = "tokens of the legacy start_url form cannot be renewed"
	case !tok.hasRefreshToken():
		why = "the cache file holds no refresh token (and client registration) to renew it"
	default:
		why = "its client registration expired at " + tok.RegistrationExpiresAt.UTC().Format(time.RFC3339)
	}
	return shared.Permanent("SSOTokenExpired", "the cached SSO token at %s expired at %s and %s: %s",
		path, tok.ExpiresAt.UTC().Format(time.RFC3339), why, c.loginAdvice(path))
}

// trimSlash removes trailing slashes, which do not change a start URL.
func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
