package sts

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/internal/source/internal/stsparams"
	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema.
type config struct {
	RoleARN           string            `json:"role_arn"`
	SessionName       string            `json:"session_name"`
	Duration          string            `json:"duration"`
	ExternalID        string            `json:"external_id"`
	Policy            string            `json:"policy"`
	PolicyARNs        []string          `json:"policy_arns"`
	Tags              map[string]string `json:"tags"`
	TransitiveTagKeys []string          `json:"transitive_tag_keys"`
	SourceIdentity    string            `json:"source_identity"`
	MFASerial         string            `json:"mfa_serial"`
	MFATokenCommand   string            `json:"mfa_token_command"`
	Env               map[string]string `json:"env"`
	InheritEnv        []string          `json:"inherit_env"`
	Profile           string            `json:"profile"`
	Keyring           string            `json:"keyring"`
}

// The limits below are STS's own (see the AssumeRole API reference), checked here so a
// mistake shows up in `brs validate` with a file and line rather than at the first
// refresh; stsparams checks those that web_identity shares.
const (
	// maxTags is the most session tags AssumeRole accepts.
	maxTags = 50
)

var (
	// externalIDChars matches STS's ExternalId alphabet.
	externalIDChars = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
	// mfaSerialChars matches STS's SerialNumber alphabet.
	mfaSerialChars = regexp.MustCompile(`^[\w+=/:,.@-]*$`)
)

// settings is a valid config with its duration parsed and its default applied.
type settings struct {
	config
	duration time.Duration
}

// Validate checks a config block: formats and ranges of values and the attributes that
// need each other. It calls no AWS API.
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

	ds = append(ds, stsparams.CheckRoleARN(c.RoleARN)...)
	ds = append(ds, stsparams.CheckSessionName(c.SessionName)...)
	d, dds := stsparams.ParseDuration(c.Duration)
	s.duration = d
	ds = append(ds, dds...)

	if c.ExternalID != "" && (len(c.ExternalID) < 2 || len(c.ExternalID) > 1224 || !externalIDChars.MatchString(c.ExternalID)) {
		ds = append(ds, shared.ErrorDiag("external_id", "Invalid external ID", "external_id must be 2 to 1224 characters of letters, digits and _+=,.@:/-."))
	}

	ds = append(ds, stsparams.CheckPolicies(c.Policy, c.PolicyARNs)...)

	if len(c.Tags) > maxTags {
		ds = append(ds, shared.ErrorDiag("tags", "Too many tags", "AssumeRole accepts at most %d session tags; tags has %d.", maxTags, len(c.Tags)))
	}
	for _, k := range slices.Sorted(maps.Keys(c.Tags)) {
		if v := c.Tags[k]; k == "" || len(k) > 128 || len(v) > 256 {
			ds = append(ds, shared.ErrorDiag("tags", "Invalid tag", "Tag keys must be 1 to 128 characters and values at most 256; the tag %q is not.", k))
		}
	}
	for _, k := range c.TransitiveTagKeys {
		if _, ok := c.Tags[k]; !ok {
			ds = append(ds, shared.ErrorDiag("transitive_tag_keys", "Unknown transitive tag key", "transitive_tag_keys names %q, which is not a key of tags; a transitive tag must also be set.", k))
		}
	}

	if c.SourceIdentity != "" && !stsparams.IsSessionName(c.SourceIdentity) {
		ds = append(ds, shared.ErrorDiag("source_identity", "Invalid source identity", "source_identity must be 2 to 64 characters of letters, digits and _+=,.@-."))
	}

	switch {
	case c.MFASerial != "" && c.MFATokenCommand == "":
		ds = append(ds, shared.ErrorDiag("mfa_token_command", "Missing MFA token command", "mfa_serial is set, so mfa_token_command must be set too: a command that prints the current 6-digit code."))
	case c.MFASerial == "" && c.MFATokenCommand != "":
		ds = append(ds, shared.ErrorDiag("mfa_serial", "Missing MFA serial", "mfa_token_command is set, so mfa_serial must be set too: the serial number or ARN of the MFA device."))
	}
	ds = append(ds, shellcmd.ValidateEnv("env", c.Env, "inherit_env", c.InheritEnv)...)
	if c.MFATokenCommand == "" && (len(c.Env) > 0 || len(c.InheritEnv) > 0) {
		ds = append(ds, shared.WarningDiag("env", "Environment without a command",
			"env and inherit_env are the environment of mfa_token_command, which is not set: they are not used."))
	}
	if c.MFASerial != "" && (len(c.MFASerial) < 9 || len(c.MFASerial) > 256 || !mfaSerialChars.MatchString(c.MFASerial)) {
		ds = append(ds, shared.ErrorDiag("mfa_serial", "Invalid MFA serial", "mfa_serial must be the 9 to 256 character serial number or ARN of an MFA device, e.g. arn:aws:iam::111122223333:mfa/alice."))
	}
	if c.Profile != "" && (strings.TrimSpace(c.Profile) != c.Profile || strings.ContainsAny(c.Profile, "[]\n")) {
		ds = append(ds, shared.ErrorDiag("profile", "Invalid profile name", "profile must be the name of a profile in the AWS config or credentials file, without brackets or surrounding spaces, e.g. \"base\"."))
	}
	return s, append(ds, checkKeyring(c)...)
}
