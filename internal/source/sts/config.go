package sts

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/source/internal/mfacode"
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
)

// settings is a valid config with its duration parsed and its default applied.
type settings struct {
	config
	duration time.Duration
}

// Validate checks a config block: formats and ranges of values and the attributes that
// need each other. It calls no AWS API.
func (r *Refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	s, ds := parseConfig(req.Config)
	// A host of contract 1.1 says whether the role names a source_role; older hosts
	// leave it false, and Refresh refuses the pair instead.
	if req.HasSourceRole && !ds.HasErrors() {
		switch {
		case s.Profile != "":
			ds = append(ds, shared.ErrorDiag("profile", "Profile with source_role",
				"The role names both a source_role and an AWS profile (%q) to sign AssumeRole with: keep one of them.", s.Profile))
		case s.Keyring != "":
			ds = append(ds, shared.ErrorDiag("keyring", "Keyring key with source_role",
				"The role names both a source_role and a keyring key (%q) to sign AssumeRole with: keep one of them.", s.Keyring))
		}
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

	ds = append(ds, mfacode.Check(c.MFASerial, c.MFATokenCommand, c.Env, c.InheritEnv)...)
	if c.Profile != "" && (strings.TrimSpace(c.Profile) != c.Profile || strings.ContainsAny(c.Profile, "[]\n")) {
		ds = append(ds, shared.ErrorDiag("profile", "Invalid profile name", "profile must be the name of a profile in the AWS config or credentials file, without brackets or surrounding spaces, e.g. \"base\"."))
	}
	return s, append(ds, checkKeyring(c)...)
}
