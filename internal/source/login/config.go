package login

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema.
type config struct {
	LoginSession string `json:"login_session"`
	CacheDir     string `json:"cache_dir"`
}

const (
	// defaultCacheDir is where the AWS CLI keeps login sessions, under the home
	// directory.
	defaultCacheDir = "~/.aws/login/cache"
	// envCacheDir overrides defaultCacheDir for the AWS CLI and the SDKs.
	envCacheDir = "AWS_LOGIN_CACHE_DIRECTORY"
	// maxSessionLen bounds login_session: an ARN is at most 2048 characters.
	maxSessionLen = 2048
)

// Validate checks a config block. It calls no AWS API and reads no file.
// A role without region or endpoint gets a warning: its credentials are served until
// they need renewing, which then fails.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	_, ds := parseConfig(req.Config)
	if !ds.HasErrors() && req.Region == "" && req.Endpoint == "" {
		ds = append(ds, shared.WarningDiag("", "No region", "The role has no region, and the sign-in service that refreshes an aws login session is regional: set the role's region to your profile's (the region you signed in to), or refreshes will fail once the cached credentials near expiry."))
	}
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
	s := strings.TrimSpace(c.LoginSession)
	switch {
	case s == "":
		ds = append(ds, shared.ErrorDiag("login_session", "Missing login_session", "Set login_session to the value `aws login` wrote into your profile in ~/.aws/config (login_session = arn:aws:...)."))
	case len(s) > maxSessionLen || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		ds = append(ds, shared.ErrorDiag("login_session", "Invalid login_session", "login_session must be the ARN `aws login` wrote into your profile: one word of at most %d characters, such as arn:aws:iam::111122223333:user/alice.", maxSessionLen))
	}
	if d := c.CacheDir; d != "" && d != "~" && !strings.HasPrefix(d, "~/") && !filepath.IsAbs(d) {
		ds = append(ds, shared.ErrorDiag("cache_dir", "Relative cache directory", "cache_dir must be an absolute path or start with ~/ (the home directory); %q is neither.", d))
	}
	return c, ds
}

// cacheFileName returns the name of the session's file in the cache directory, as the
// AWS CLI and the SDKs name it: the lower-case hex SHA-256 of the trimmed
// login_session, and ".json".
func (c config) cacheFileName() string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(c.LoginSession)))
	return hex.EncodeToString(sum[:]) + ".json"
}

// cachePath returns the path of the session's cache file, with ~ expanded.
func (c config) cachePath() (string, error) {
	dir := c.CacheDir
	if dir == "" {
		dir = os.Getenv(envCacheDir)
	}
	if dir == "" {
		dir = defaultCacheDir
	}
	if dir == "~" || strings.HasPrefix(dir, "~/") {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			return "", shared.Permanent("NoHomeDirectory",
				"the aws login cache is under the home directory, which is unknown (%v): set HOME in the environment brs runs in, or cache_dir to an absolute path", err)
		}
		dir = filepath.Join(home, strings.TrimPrefix(dir, "~"))
	}
	if !filepath.IsAbs(dir) {
		return "", shared.Permanent("InvalidCacheDirectory", "%s = %q is not an absolute path: set it to one, or set cache_dir", envCacheDir, dir)
	}
	return filepath.Join(dir, c.cacheFileName()), nil
}

// loginAdvice says what to run to get a fresh session into the cache file at path.
func (c config) loginAdvice(path string) string {
	advice := fmt.Sprintf("run `aws login` with the profile whose login_session is %s", strings.TrimSpace(c.LoginSession))
	if home, err := os.UserHomeDir(); err == nil && filepath.Dir(path) != filepath.Join(home, ".aws", "login", "cache") {
		advice += fmt.Sprintf(" (with %s=%s, which is where this role reads it)", envCacheDir, filepath.Dir(path))
	}
	return advice
}
