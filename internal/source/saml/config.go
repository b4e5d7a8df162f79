package saml

import (
	"context"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/internal/source/internal/stsparams"
	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema. An empty string counts as unset.
type config struct {
	SAMLCommand  string            `json:"saml_command"`
	Timeout      string            `json:"timeout"`
	Env          map[string]string `json:"env"`
	InheritEnv   []string          `json:"inherit_env"`
	RoleARN      string            `json:"role_arn"`
	PrincipalARN string            `json:"principal_arn"`
	Duration     string            `json:"duration"`
	Policy       string            `json:"policy"`
	PolicyARNs   []string          `json:"policy_arns"`
}

// defaultTimeout bounds saml_command unless timeout says otherwise: long enough for a
// helper that signs in over the network, short enough that a hung one is noticed. A
// helper that waits for the user in a browser needs more, and the role's
// refresh { timeout } with it.
const defaultTimeout = time.Minute

// maxTimeout is the longest timeout accepted: a sign-in that takes longer has been
// abandoned.
const maxTimeout = 15 * time.Minute

// settings is a valid config with its durations parsed and their defaults applied.
type settings struct {
	config
	duration time.Duration
	timeout  time.Duration
}

// Validate checks a config block: a command, the formats of the ARNs, the duration
// and the policies; with a host of contract 1.1, that the role has no source_role and
// that an explicit timeout fits in the refresh's. It calls no AWS API and runs
// nothing.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	s, ds := parseConfig(req.Config)
	if req.HasSourceRole {
		ds = append(ds, shared.ErrorDiag("", "source_role with a saml role",
			"AssumeRoleWithSAML is not signed (the SAML assertion is the identity), so a saml role cannot use a source_role's credentials: remove source_role."))
	}
	if !ds.HasErrors() && s.Timeout != "" && req.RefreshTimeout > 0 && s.timeout >= req.RefreshTimeout {
		ds = append(ds, shared.WarningDiag("timeout", "Timeout longer than the refresh",
			"saml_command may run for %v, but the role's refresh { timeout } is %v: the refresh is cancelled, and the command killed, first. Raise refresh { timeout } above %v.",
			s.timeout, req.RefreshTimeout, s.timeout))
	}
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
	errorf := func(attr, summary, format string, args ...any) {
		ds = append(ds, shared.ErrorDiag(attr, summary, format, args...))
	}
	if strings.TrimSpace(c.SAMLCommand) == "" {
		errorf("saml_command", "Missing SAML command",
			"Set saml_command to a shell command that signs in at the identity provider and prints the base64 SAMLResponse, e.g. \"saml2aws login --skip-prompt --quiet && ...\".")
	}
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		switch {
		case err != nil:
			errorf("timeout", "Invalid timeout", "timeout must be a Go duration such as \"30s\" or \"2m\": %v.", err)
		case d <= 0 || d > maxTimeout:
			errorf("timeout", "Timeout out of range", "timeout must be positive and at most %v; leave it out for the default of %v.", maxTimeout, defaultTimeout)
		default:
			s.timeout = d
		}
	}
	ds = append(ds, shellcmd.ValidateEnv("env", c.Env, "inherit_env", c.InheritEnv)...)
	if c.RoleARN != "" && !isRoleARN(c.RoleARN) {
		errorf("role_arn", "Invalid role ARN", "role_arn must be an IAM role ARN such as arn:aws:iam::111122223333:role/NAME; %q is not.", c.RoleARN)
	}
	if c.PrincipalARN != "" && !isProviderARN(c.PrincipalARN) {
		errorf("principal_arn", "Invalid SAML provider ARN",
			"principal_arn must be the ARN of an IAM SAML provider such as arn:aws:iam::111122223333:saml-provider/NAME; %q is not.", c.PrincipalARN)
	}
	// The limits are STS's own (see the AssumeRoleWithSAML API reference); a role's
	// MaxSessionDuration and the assertion's SessionDuration are only known to AWS.
	d, dds := stsparams.ParseDuration(c.Duration)
	s.duration = d
	ds = append(ds, dds...)
	ds = append(ds, stsparams.CheckPolicies(c.Policy, c.PolicyARNs)...)
	return s, ds
}

// iamResource returns the resource part of an IAM ARN (arn:PARTITION:iam::ACCOUNT:
// RESOURCE), or "" when arn is not one.
func iamResource(arn string) string {
	if !stsparams.IsARN(arn) {
		return ""
	}
	parts := strings.SplitN(arn, ":", 6)
	if parts[2] != "iam" || parts[4] == "" {
		return ""
	}
	return parts[5]
}

// isRoleARN reports whether s is an IAM role ARN.
func isRoleARN(s string) bool {
	r := iamResource(s)
	return strings.HasPrefix(r, "role/") && len(r) > len("role/")
}

// isProviderARN reports whether s is an IAM SAML provider ARN.
func isProviderARN(s string) bool {
	r := iamResource(s)
	return strings.HasPrefix(r, "saml-provider/") && len(r) > len("saml-provider/")
}
