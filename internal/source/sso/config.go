package sso

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema.
type config struct {
	SSOSession   string `json:"sso_session"`
	SSOStartURL  string `json:"sso_start_url"`
	StartURL     string `json:"start_url"`
	SSORegion    string `json:"sso_region"`
	AccountID    string `json:"account_id"`
	RoleName     string `json:"role_name"`
	CacheDir     string `json:"cache_dir"`
	OIDCEndpoint string `json:"oidc_endpoint"`
}

// defaultCacheDir is where the AWS CLI keeps SSO tokens, under the home directory.
const defaultCacheDir = "~/.aws/sso/cache"

var (
	// regionName matches AWS region names such as us-east-1 or us-gov-west-1.
	regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	// accountID matches a 12-digit AWS account ID.
	accountID = regexp.MustCompile(`^\d{12}$`)
	// roleName matches a permission set name (IAM Identity Center allows 1-32 of
	// these characters; the portal's API is documented more loosely).
	roleName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	// sessionName matches what the AWS CLI accepts in [sso-session NAME].
	sessionName = regexp.MustCompile(`^[^\s\[\]]+$`)
)

// Validate checks a config block: which form it uses, and the format of each value.
// It calls no AWS API and reads no file.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	_, ds := parseConfig(req.Config)
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

// parseConfig decodes and checks cfg. The config is only meaningful when the
// diagnostics hold no error.
func parseConfig(cfg shared.Config) (config, shared.Diagnostics) {
	var c config
	if ds := shared.DecodeConfig(cfg, &c); ds != nil {
		return config{}, ds
	}
	var ds shared.Diagnostics

	switch {
	case c.SSOSession != "" && c.StartURL != "":
		ds = append(ds, shared.ErrorDiag("start_url", "Conflicting SSO forms", "start_url is for the legacy form without sso_session; with sso_session = %q, name the start URL sso_start_url instead.", c.SSOSession))
	case c.SSOSession != "":
		if !sessionName.MatchString(c.SSOSession) {
			ds = append(ds, shared.ErrorDiag("sso_session", "Invalid sso_session", "sso_session must be the name of an sso-session, without spaces or brackets, as in [sso-session NAME] in ~/.aws/config."))
		}
		if c.SSOStartURL == "" {
			ds = append(ds, shared.ErrorDiag("sso_start_url", "Missing start URL", "With sso_session, set sso_start_url to the start URL of its AWS access portal, e.g. https://d-1234567890.awsapps.com/start."))
		}
	case c.StartURL != "":
		if c.SSOStartURL != "" {
			ds = append(ds, shared.ErrorDiag("sso_start_url", "Conflicting SSO forms", "sso_start_url goes with sso_session; the legacy form names its start URL start_url only."))
		}
	case c.SSOStartURL != "":
		ds = append(ds, shared.ErrorDiag("sso_session", "Missing sso_session", "sso_start_url needs sso_session, the name of the sso-session it belongs to; for the legacy form without one, name the start URL start_url instead."))
	default:
		ds = append(ds, shared.ErrorDiag("", "Missing SSO session", "Set sso_session and sso_start_url (the form `aws sso login --sso-session NAME` uses, whose token brs can renew), or start_url for the legacy form."))
	}
	for _, u := range []struct{ attr, value string }{{"sso_start_url", c.SSOStartURL}, {"start_url", c.StartURL}} {
		if u.value != "" && !isHTTPURL(u.value) {
			ds = append(ds, shared.ErrorDiag(u.attr, "Invalid start URL", "%s must be the URL of an AWS access portal, such as https://d-1234567890.awsapps.com/start; %q is not.", u.attr, u.value))
		}
	}

	switch {
	case c.SSORegion == "":
		ds = append(ds, shared.ErrorDiag("sso_region", "Missing SSO region", "Set sso_region to the region of the IAM Identity Center instance, e.g. us-east-1."))
	case !regionName.MatchString(c.SSORegion):
		ds = append(ds, shared.ErrorDiag("sso_region", "Invalid SSO region", "sso_region must be an AWS region name such as us-east-1; %q is not.", c.SSORegion))
	}
	switch {
	case c.AccountID == "":
		ds = append(ds, shared.ErrorDiag("account_id", "Missing account ID", "Set account_id to the 12-digit ID of the AWS account."))
	case !accountID.MatchString(c.AccountID):
		ds = append(ds, shared.ErrorDiag("account_id", "Invalid account ID", "account_id must be 12 digits, e.g. \"111122223333\" (quoted, so that leading zeros stay); %q is not.", c.AccountID))
	}
	switch {
	case c.RoleName == "":
		ds = append(ds, shared.ErrorDiag("role_name", "Missing role name", "Set role_name to the name of the role (permission set) assigned to you in the account."))
	case !roleName.MatchString(c.RoleName):
		ds = append(ds, shared.ErrorDiag("role_name", "Invalid role name", "role_name must be a permission set name: 1 to 64 letters, digits and _+=,.@-; %q is not.", c.RoleName))
	}
	if d := c.CacheDir; d != "" && d != "~" && !strings.HasPrefix(d, "~/") && !filepath.IsAbs(d) {
		ds = append(ds, shared.ErrorDiag("cache_dir", "Relative cache directory", "cache_dir must be an absolute path or start with ~/ (the home directory); %q is neither.", d))
	}
	if c.OIDCEndpoint != "" && !isHTTPURL(c.OIDCEndpoint) {
		ds = append(ds, shared.ErrorDiag("oidc_endpoint", "Invalid endpoint", "oidc_endpoint must be an http(s) URL such as https://oidc.us-east-1.amazonaws.com; %q is not.", c.OIDCEndpoint))
	}
	return c, ds
}

// isHTTPURL reports whether s is an absolute http or https URL with a host.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// startURL returns the configured start URL, of either form.
func (c config) startURL() string {
	if c.SSOSession != "" {
		return c.SSOStartURL
	}
	return c.StartURL
}

// cacheKey returns what the AWS CLI hashes to name the token's cache file: the
// sso_session name, or the start URL in the legacy form.
func (c config) cacheKey() string {
	if c.SSOSession != "" {
		return c.SSOSession
	}
	return c.StartURL
}

// cacheFileName returns the name of the token's file in the cache directory, as the
// AWS CLI names it: the lower-case hex SHA-1 of the cache key, and ".json".
func (c config) cacheFileName() string {
	sum := sha1.Sum([]byte(c.cacheKey()))
	return hex.EncodeToString(sum[:]) + ".json"
}

// cachePath returns the path of the token's cache file, with ~ expanded.
func (c config) cachePath() (string, error) {
	dir := c.CacheDir
	if dir == "" {
		dir = defaultCacheDir
	}
	if dir == "~" || strings.HasPrefix(dir, "~/") {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			return "", shared.Permanent("NoHomeDirectory",
				"the SSO token cache is under the home directory, which is unknown (%v): set HOME in the environment brs runs in, or cache_dir to an absolute path", err)
		}
		dir = filepath.Join(home, strings.TrimPrefix(dir, "~"))
	}
	return filepath.Join(dir, c.cacheFileName()), nil
}

// loginAdvice says what to run to get a fresh token into the cache file at path.
func (c config) loginAdvice(path string) string {
	var advice string
	if c.SSOSession != "" {
		advice = fmt.Sprintf("run \"aws sso login --sso-session %s\" (~/.aws/config needs an [sso-session %s] section with sso_start_url = %s and sso_region = %s)",
			c.SSOSession, c.SSOSession, c.SSOStartURL, c.SSORegion)
	} else {
		advice = fmt.Sprintf("run \"aws sso login --profile PROFILE\" with a profile of ~/.aws/config that has sso_start_url = %s and sso_region = %s and no sso_session; "+
			"better, switch this role to sso_session, whose token brs can renew", c.StartURL, c.SSORegion)
	}
	if home, err := os.UserHomeDir(); err == nil && filepath.Dir(path) != filepath.Join(home, ".aws", "sso", "cache") {
		advice += fmt.Sprintf("; the AWS CLI writes the token to ~/.aws/sso/cache/%s, and this role reads it from %s", filepath.Base(path), filepath.Dir(path))
	}
	return advice
}
