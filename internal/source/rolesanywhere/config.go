package rolesanywhere

import (
	"context"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema.
type config struct {
	Certificate       string            `json:"certificate"`
	PrivateKey        string            `json:"private_key"`
	PassphraseCommand string            `json:"passphrase_command"`
	Env               map[string]string `json:"env"`
	InheritEnv        []string          `json:"inherit_env"`
	CertificateChain  string            `json:"certificate_chain"`
	TrustAnchorARN    string            `json:"trust_anchor_arn"`
	ProfileARN        string            `json:"profile_arn"`
	RoleARN           string            `json:"role_arn"`
	Duration          string            `json:"duration"`
	SessionName       string            `json:"session_name"`
	Timeout           string            `json:"timeout"`
}

const (
	// CreateSession's bounds on durationSeconds, and aws_signing_helper's default.
	minDuration     = 15 * time.Minute
	maxDuration     = 12 * time.Hour
	defaultDuration = time.Hour

	// defaultTimeout bounds one request; the host's refresh deadline still applies.
	defaultTimeout = 10 * time.Second
	minTimeout     = 100 * time.Millisecond
	maxTimeout     = 5 * time.Minute
)

var (
	// rolesAnywhereARN matches a trust anchor or profile ARN and captures the
	// partition, region, account and kind.
	rolesAnywhereARN = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):rolesanywhere:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):(trust-anchor|profile)/[0-9a-fA-F-]{36}$`)
	// roleARN matches an IAM role ARN (with an optional path).
	roleARN = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role/[\w+=,.@/-]{1,512}$`)
	// sessionNameChars is CreateSession's roleSessionName pattern.
	sessionNameChars = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

// settings is a valid config with the defaults applied and the region resolved.
type settings struct {
	config
	region   string
	endpoint *url.URL
	duration time.Duration
	timeout  time.Duration
}

// Validate checks a config block against the role's region and endpoint. It reads no
// file, runs no command and makes no network call.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	_, ds := parseConfig(req.Config, req.Region, req.Endpoint)
	if req.HasSourceRole {
		ds = append(ds, shared.ErrorDiag("", "No source_role for roles_anywhere", noSourceRole))
	}
	return &shared.ValidateResponse{Diagnostics: ds}, nil
}

// noSourceRole says why a roles_anywhere role cannot be chained on another.
const noSourceRole = "a roles_anywhere role authenticates with its certificate alone and takes no source_role; remove source_role, or chain sts roles on this one instead"

// parseConfig decodes and checks cfg for a role with the given endpoint override
// (the role's region does not matter: see below). The settings are only meaningful when the diagnostics hold no error.
func parseConfig(cfg shared.Config, _, endpoint string) (settings, shared.Diagnostics) {
	var c config
	if ds := shared.DecodeConfig(cfg, &c); ds != nil {
		return settings{}, ds
	}
	s := settings{config: c, duration: defaultDuration, timeout: defaultTimeout}
	var ds shared.Diagnostics

	ds = append(ds, checkPath("certificate", c.Certificate, true, "the X.509 certificate")...)
	ds = append(ds, checkPath("private_key", c.PrivateKey, true, "the certificate's private key")...)
	ds = append(ds, checkPath("certificate_chain", c.CertificateChain, false, "")...)
	ds = append(ds, shellcmd.ValidateEnv("env", c.Env, "inherit_env", c.InheritEnv)...)

	taPartition, taRegion, taAccount, d := checkRolesAnywhereARN("trust_anchor_arn", c.TrustAnchorARN, "trust-anchor")
	ds = append(ds, d...)
	pPartition, pRegion, pAccount, d := checkRolesAnywhereARN("profile_arn", c.ProfileARN, "profile")
	ds = append(ds, d...)
	if taRegion != "" && pRegion != "" && (taRegion != pRegion || taPartition != pPartition || taAccount != pAccount) {
		ds = append(ds, shared.ErrorDiag("profile_arn", "Profile and trust anchor apart",
			"profile_arn and trust_anchor_arn must be in the same partition, account and region (%s and %s are not); Roles Anywhere resources are regional.", pRegion, taRegion))
	}
	switch {
	case c.RoleARN == "":
		ds = append(ds, shared.ErrorDiag("role_arn", "Missing role ARN", "Set role_arn to the ARN of the IAM role to get credentials for, e.g. arn:aws:iam::111122223333:role/workload."))
	case !roleARN.MatchString(c.RoleARN):
		ds = append(ds, shared.ErrorDiag("role_arn", "Invalid role ARN", "role_arn must be an IAM role ARN such as arn:aws:iam::111122223333:role/workload; %q is not.", c.RoleARN))
	}

	// CreateSession goes to the trust anchor's region, whatever the role's region
	// (which is the region of the clients that use the credentials): trust anchors
	// and profiles are regional.
	s.region = taRegion
	if s.region != "" {
		u, err := parseEndpoint(endpoint, s.region, taPartition)
		if err != "" {
			ds = append(ds, shared.ErrorDiag("", "Invalid endpoint for roles_anywhere", "%s", err))
		}
		s.endpoint = u
	}

	if c.Duration != "" {
		d, err := time.ParseDuration(c.Duration)
		switch {
		case err != nil:
			ds = append(ds, shared.ErrorDiag("duration", "Invalid duration", "duration must be a Go duration such as \"1h\" or \"90m\"."))
		case d < minDuration || d > maxDuration || d%time.Second != 0:
			ds = append(ds, shared.ErrorDiag("duration", "Duration out of range", "duration must be whole seconds between %v and %v (CreateSession's bounds).", minDuration, maxDuration))
		default:
			s.duration = d
		}
	}
	if c.SessionName != "" && !sessionNameChars.MatchString(c.SessionName) {
		ds = append(ds, shared.ErrorDiag("session_name", "Invalid session name", "session_name must be 2 to 64 characters of letters, digits and _+=,.@-."))
	}
	if c.Timeout != "" {
		d, err := time.ParseDuration(c.Timeout)
		switch {
		case err != nil:
			ds = append(ds, shared.ErrorDiag("timeout", "Invalid timeout", "timeout must be a Go duration such as \"10s\"."))
		case d < minTimeout || d > maxTimeout:
			ds = append(ds, shared.ErrorDiag("timeout", "Timeout out of range", "timeout must be between %v and %v.", minTimeout, maxTimeout))
		default:
			s.timeout = d
		}
	}
	return s, ds
}

// checkRolesAnywhereARN checks a trust anchor or profile ARN and returns its
// partition, region and account.
func checkRolesAnywhereARN(attr, arn, kind string) (partition, region, account string, ds shared.Diagnostics) {
	example := "arn:aws:rolesanywhere:eu-west-1:111122223333:" + kind + "/0fd4a1a4-6c3e-4f2b-9c6e-0123456789ab"
	if arn == "" {
		return "", "", "", shared.Diagnostics{shared.ErrorDiag(attr, "Missing "+attr, "Set %s to the ARN of the Roles Anywhere %s, e.g. %s.", attr, kind, example)}
	}
	m := rolesAnywhereARN.FindStringSubmatch(arn)
	if m == nil || m[4] != kind {
		return "", "", "", shared.Diagnostics{shared.ErrorDiag(attr, "Invalid "+attr, "%s must be the ARN of a Roles Anywhere %s, e.g. %s; %q is not.", attr, kind, example, arn)}
	}
	return m[1], m[2], m[3], nil
}

// parseEndpoint returns the URL CreateSession is sent to: the role's endpoint
// override, or the regional endpoint. Plain http is allowed only to a loopback
// address, since the answer holds the credentials. The error is a sentence, or "".
func parseEndpoint(ep, region, partition string) (*url.URL, string) {
	if ep == "" {
		domain := "amazonaws.com"
		if partition == "aws-cn" {
			domain = "amazonaws.com.cn"
		}
		return &url.URL{Scheme: "https", Host: "rolesanywhere." + region + "." + domain}, ""
	}
	u, err := url.Parse(ep)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/"):
		return nil, "endpoint must be an http(s)://HOST[:PORT] URL without a path, query or user for a roles_anywhere role."
	case u.Scheme == "https":
	case u.Scheme == "http":
		if ip := net.ParseIP(u.Hostname()); (ip == nil || !ip.IsLoopback()) && !strings.EqualFold(u.Hostname(), "localhost") {
			return nil, "endpoint uses plain http to a host that is not a loopback address; the answer holds the credentials, so use https."
		}
	default:
		return nil, "endpoint must start with https:// (or http:// to a loopback address) for a roles_anywhere role."
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, ""
}

// checkPath checks a file attribute: set if required, and absolute.
func checkPath(attr, path string, required bool, what string) shared.Diagnostics {
	switch {
	case path == "" && required:
		return shared.Diagnostics{shared.ErrorDiag(attr, "Missing "+attr, "Set %s to the absolute path of %s, a PEM file.", attr, what)}
	case path != "" && !filepath.IsAbs(path):
		return shared.Diagnostics{shared.ErrorDiag(attr, "Relative path",
			"%s must be an absolute path, as the plugin does not run in the directory of the HCL file; %q is relative.", attr, path)}
	}
	return nil
}
