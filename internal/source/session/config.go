package session

import (
	"context"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/internal/source/internal/mfacode"
	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema.
type config struct {
	Duration        string            `json:"duration"`
	MFASerial       string            `json:"mfa_serial"`
	MFATokenCommand string            `json:"mfa_token_command"`
	Env             map[string]string `json:"env"`
	InheritEnv      []string          `json:"inherit_env"`
	Profile         string            `json:"profile"`
	Keyring         string            `json:"keyring"`
}

// GetSessionToken's bounds for an IAM user (a root user gets at most 1h; STS says so
// itself), and its default.
const (
	minDuration     = 15 * time.Minute
	maxDuration     = 36 * time.Hour
	defaultDuration = 12 * time.Hour
)

// settings is a valid config with its duration parsed and its default applied.
type settings struct {
	config
	duration time.Duration
}

// Validate checks a config block. It calls no AWS API and opens no keyring.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	_, ds := parseConfig(req.Config)
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

// parseConfig decodes and checks cfg. The settings are only meaningful when the
// diagnostics hold no error.
func parseConfig(cfg shared.Config) (settings, shared.Diagnostics) {
	var c config
	if ds := shared.DecodeConfig(cfg, &c); ds != nil {
		return settings{}, ds
	}
	s := settings{config: c, duration: defaultDuration}
	var ds shared.Diagnostics
	if c.Duration != "" {
		d, err := time.ParseDuration(c.Duration)
		switch {
		case err != nil:
			ds = append(ds, shared.ErrorDiag("duration", "Invalid duration", "duration must be a Go duration such as \"12h\" or \"90m\"."))
		case d < minDuration || d > maxDuration || d%time.Second != 0:
			ds = append(ds, shared.ErrorDiag("duration", "Duration out of range", "duration must be whole seconds between %v and %v (GetSessionToken's bounds for an IAM user).", minDuration, maxDuration))
		default:
			s.duration = d
		}
	}
	ds = append(ds, mfacode.Check(c.MFASerial, c.MFATokenCommand, c.Env, c.InheritEnv)...)
	if c.Profile != "" && (strings.TrimSpace(c.Profile) != c.Profile || strings.ContainsAny(c.Profile, "[]\n")) {
		ds = append(ds, shared.ErrorDiag("profile", "Invalid profile name", "profile must be the name of a profile in the AWS config or credentials file, without brackets or surrounding spaces, e.g. \"base\"."))
	}
	if c.Keyring != "" {
		if err := keyring.CheckName(c.Keyring); err != nil {
			ds = append(ds, shared.ErrorDiag("keyring", "Invalid keyring key name", "keyring must name a key added with `brs keys add NAME`: %v.", err))
		}
		if c.Profile != "" {
			ds = append(ds, shared.ErrorDiag("keyring", "Two base keys", "keyring and profile both name the key that signs GetSessionToken: keep one of them."))
		}
	}
	return s, ds
}
