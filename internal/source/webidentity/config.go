package webidentity

import (
	"context"
	"path/filepath"
	"time"

	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/internal/source/internal/stsparams"
	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema. An empty string counts as unset, so that
// env("AWS_WEB_IDENTITY_TOKEN_FILE", "") leaves token_file out when the variable is
// not set.
type config struct {
	RoleARN      string            `json:"role_arn"`
	TokenFile    string            `json:"token_file"`
	TokenCommand string            `json:"token_command"`
	Env          map[string]string `json:"env"`
	InheritEnv   []string          `json:"inherit_env"`
	SessionName  string            `json:"session_name"`
	Duration     string            `json:"duration"`
	Policy       string            `json:"policy"`
	PolicyARNs   []string          `json:"policy_arns"`
}

// settings is a valid config with its duration parsed and its default applied.
type settings struct {
	config
	duration time.Duration
}

// Validate checks a config block: formats and ranges of values, and that exactly one
// of token_file and token_command is set. It calls no AWS API, reads no token and runs
// nothing: the token file may not exist until the pod starts.
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
	s := settings{config: c}
	var ds shared.Diagnostics
	errorf := func(attr, summary, format string, args ...any) {
		ds = append(ds, shared.ErrorDiag(attr, summary, format, args...))
	}

	ds = append(ds, stsparams.CheckRoleARN(c.RoleARN)...)

	switch {
	case c.TokenFile == "" && c.TokenCommand == "":
		errorf("", "Missing token", "Set token_file to the file that holds the web identity token (in EKS, "+
			"env(\"AWS_WEB_IDENTITY_TOKEN_FILE\", \"\")), or token_command to a command that prints it.")
	case c.TokenFile != "" && c.TokenCommand != "":
		errorf("token_command", "Conflicting token sources", "Set token_file or token_command, not both.")
	case c.TokenFile != "" && !filepath.IsAbs(c.TokenFile):
		ds = append(ds, shared.WarningDiag("token_file", "Relative token_file",
			"A relative token_file is read from the working directory of the program that uses brs, not from this file's directory "+
				"(and differs when the AWS CLI runs brs credential-process). Use an absolute path."))
	}

	ds = append(ds, shellcmd.ValidateEnv("env", c.Env, "inherit_env", c.InheritEnv)...)
	if c.TokenCommand == "" && (len(c.Env) > 0 || len(c.InheritEnv) > 0) {
		ds = append(ds, shared.WarningDiag("env", "Environment without a command",
			"env and inherit_env are the environment of token_command, which is not set: they are not used."))
	}

	// The limits are STS's own (see the AssumeRoleWithWebIdentity API reference); a
	// role's MaxSessionDuration is only known to AWS.
	ds = append(ds, stsparams.CheckSessionName(c.SessionName)...)
	d, dds := stsparams.ParseDuration(c.Duration)
	s.duration = d
	ds = append(ds, dds...)
	ds = append(ds, stsparams.CheckPolicies(c.Policy, c.PolicyARNs)...)
	return s, ds
}
