package sts

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/source/internal/confdiag"
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
}

// The limits below are STS's own (see the AssumeRole API reference), checked here so a
// mistake shows up in `brs validate` with a file and line rather than at the first
// refresh.
const (
	// minDuration is the shortest session STS grants.
	minDuration = 15 * time.Minute
	// maxDuration is the longest session an IAM role can be configured for; the role's
	// own MaxSessionDuration (default 1h) and the 1h limit on chained roles are only
	// known to AWS, which answers ValidationError beyond them.
	maxDuration = 12 * time.Hour
	// defaultDuration matches STS's own default.
	defaultDuration = time.Hour
	// maxTags is the most session tags AssumeRole accepts.
	maxTags = 50
)

var (
	// sessionNameChars matches STS's RoleSessionName and SourceIdentity alphabet.
	sessionNameChars = regexp.MustCompile(`^[\w+=,.@-]*$`)
	// notSessionNameChar matches one character that RoleSessionName does not allow.
	notSessionNameChar = regexp.MustCompile(`[^\w+=,.@-]`)
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
func (r *Refresher) Validate(_ context.Context, cfg shared.Config) (shared.Diagnostics, error) {
	_, ds := parseConfig(cfg)
	return ds, nil
}

// parseConfig decodes and checks cfg. The settings are only meaningful when the
// diagnostics hold no error.
func parseConfig(cfg shared.Config) (settings, shared.Diagnostics) {
	var c config
	if ds := confdiag.Decode(cfg, &c); ds != nil {
		return settings{}, ds
	}
	s := settings{config: c, duration: defaultDuration}
	var ds shared.Diagnostics

	switch {
	case c.RoleARN == "":
		ds = append(ds, confdiag.Errorf("role_arn", "Missing role ARN", "Set role_arn to the ARN of the role to assume, e.g. arn:aws:iam::111122223333:role/NAME."))
	case !isARN(c.RoleARN):
		ds = append(ds, confdiag.Errorf("role_arn", "Invalid role ARN", "role_arn must be a role ARN such as arn:aws:iam::111122223333:role/NAME; %q is not an ARN.", c.RoleARN))
	}

	if c.SessionName != "" && (len(c.SessionName) < 2 || len(c.SessionName) > 64 || !sessionNameChars.MatchString(c.SessionName)) {
		ds = append(ds, confdiag.Errorf("session_name", "Invalid session name", "session_name must be 2 to 64 characters of letters, digits and _+=,.@-."))
	}

	if c.Duration != "" {
		d, err := time.ParseDuration(c.Duration)
		switch {
		case err != nil:
			ds = append(ds, confdiag.Errorf("duration", "Invalid duration", "duration must be a Go duration such as \"1h\" or \"45m\": %v.", err))
		case d < minDuration || d > maxDuration:
			ds = append(ds, confdiag.Errorf("duration", "Duration out of range", "duration must be between %v and %v; %q is not.", minDuration, maxDuration, c.Duration))
		default:
			s.duration = d
		}
	}

	if c.ExternalID != "" && (len(c.ExternalID) < 2 || len(c.ExternalID) > 1224 || !externalIDChars.MatchString(c.ExternalID)) {
		ds = append(ds, confdiag.Errorf("external_id", "Invalid external ID", "external_id must be 2 to 1224 characters of letters, digits and _+=,.@:/-."))
	}

	if c.Policy != "" {
		var doc map[string]any
		if err := json.Unmarshal([]byte(c.Policy), &doc); err != nil {
			ds = append(ds, confdiag.Errorf("policy", "Invalid policy", "policy must be a JSON policy document (an object with Version and Statement): %v.", err))
		}
	}

	for i, a := range c.PolicyARNs {
		if !isARN(a) {
			ds = append(ds, confdiag.Errorf("policy_arns", "Invalid policy ARN", "policy_arns[%d] must be a policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess; %q is not an ARN.", i, a))
		}
	}

	if len(c.Tags) > maxTags {
		ds = append(ds, confdiag.Errorf("tags", "Too many tags", "AssumeRole accepts at most %d session tags; tags has %d.", maxTags, len(c.Tags)))
	}
	for _, k := range slices.Sorted(maps.Keys(c.Tags)) {
		if v := c.Tags[k]; k == "" || len(k) > 128 || len(v) > 256 {
			ds = append(ds, confdiag.Errorf("tags", "Invalid tag", "Tag keys must be 1 to 128 characters and values at most 256; the tag %q is not.", k))
		}
	}
	for _, k := range c.TransitiveTagKeys {
		if _, ok := c.Tags[k]; !ok {
			ds = append(ds, confdiag.Errorf("transitive_tag_keys", "Unknown transitive tag key", "transitive_tag_keys names %q, which is not a key of tags; a transitive tag must also be set.", k))
		}
	}

	if c.SourceIdentity != "" && (len(c.SourceIdentity) < 2 || len(c.SourceIdentity) > 64 || !sessionNameChars.MatchString(c.SourceIdentity)) {
		ds = append(ds, confdiag.Errorf("source_identity", "Invalid source identity", "source_identity must be 2 to 64 characters of letters, digits and _+=,.@-."))
	}

	switch {
	case c.MFASerial != "" && c.MFATokenCommand == "":
		ds = append(ds, confdiag.Errorf("mfa_token_command", "Missing MFA token command", "mfa_serial is set, so mfa_token_command must be set too: a command that prints the current 6-digit code."))
	case c.MFASerial == "" && c.MFATokenCommand != "":
		ds = append(ds, confdiag.Errorf("mfa_serial", "Missing MFA serial", "mfa_token_command is set, so mfa_serial must be set too: the serial number or ARN of the MFA device."))
	}
	if c.MFASerial != "" && (len(c.MFASerial) < 9 || len(c.MFASerial) > 256 || !mfaSerialChars.MatchString(c.MFASerial)) {
		ds = append(ds, confdiag.Errorf("mfa_serial", "Invalid MFA serial", "mfa_serial must be the 9 to 256 character serial number or ARN of an MFA device, e.g. arn:aws:iam::111122223333:mfa/alice."))
	}
	return s, ds
}

// isARN reports whether s has the shape arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
func isARN(s string) bool {
	parts := strings.SplitN(s, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] != "" && parts[5] != ""
}

// accountID returns the account of an ARN such as
// arn:aws:sts::123456789012:assumed-role/NAME/SESSION, or "" if it has none.
func accountID(arn string) string {
	if !isARN(arn) {
		return ""
	}
	return strings.SplitN(arn, ":", 6)[4]
}

// sessionName returns the session name for role: the configured one, else "brs-" and
// the role block's name with every character STS does not allow replaced by "-", cut
// to STS's 64-character limit.
func (s settings) sessionName(role string) string {
	if s.SessionName != "" {
		return s.SessionName
	}
	if role == "" {
		role = "session"
	}
	name := "brs-" + notSessionNameChar.ReplaceAllString(role, "-")
	if len(name) > 64 { // the replacement leaves only ASCII, so bytes are characters
		name = name[:64]
	}
	return name
}
