package process

import (
	"context"
	"path/filepath"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema.
type config struct {
	Command string            `json:"command"`
	Timeout string            `json:"timeout"`
	Env     map[string]string `json:"env"`
	Inherit []string          `json:"inherit_env"`
	Dir     string            `json:"dir"`
}

// defaultTimeout is long enough for a helper that fetches credentials over the
// network or from a slow vault, short enough that a hung one is noticed.
const defaultTimeout = time.Minute

// settings is a valid config with its timeout parsed and its default applied.
type settings struct {
	config
	timeout time.Duration
}

// Validate checks a config block: a command, a positive timeout, valid variable names
// in env and inherit_env, and an absolute dir. It runs nothing and does not look at the file system: dir may
// not exist until the program that uses brs runs.
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
	s := settings{config: c, timeout: defaultTimeout}
	var ds shared.Diagnostics
	if strings.TrimSpace(c.Command) == "" {
		ds = append(ds, shared.ErrorDiag("command", "Missing command",
			"Set command to a shell command line that prints credential_process JSON, e.g. \"aws-vault export --format=json prod\"."))
	}
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		switch {
		case err != nil:
			ds = append(ds, shared.ErrorDiag("timeout", "Invalid timeout", "timeout must be a Go duration such as \"30s\" or \"2m\": %v.", err))
		case d <= 0:
			ds = append(ds, shared.ErrorDiag("timeout", "Invalid timeout", "timeout must be positive; leave it out for the default of %v.", defaultTimeout))
		default:
			s.timeout = d
		}
	}
	ds = append(ds, shellcmd.ValidateEnv("env", c.Env, "inherit_env", c.Inherit)...)
	if c.Dir != "" && !filepath.IsAbs(c.Dir) {
		ds = append(ds, shared.WarningDiag("dir", "Relative dir",
			"A relative dir is taken from the working directory of the program that uses brs, not from this file's directory "+
				"(and differs when the AWS CLI runs brs credential-process). Use an absolute path."))
	}
	return s, ds
}
