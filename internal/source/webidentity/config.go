package webidentity

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/source/internal/confdiag"
	"github.com/brs-go/brs/shared"
)

// config is a role's config block as the host sends it. The json tags are the
// attribute names of Schema. An empty string counts as unset, so that
// env("AWS_WEB_IDENTITY_TOKEN_FILE", "") leaves token_file out when the variable is
// not set.
type config struct {
	RoleARN      string   `json:"role_arn"`
	TokenFile    string   `json:"token_file"`
	TokenCommand string   `json:"token_command"`
	SessionName  string   `json:"session_name"`
	Duration     string   `json:"duration"`
	Policy       string   `json:"policy"`
	PolicyARNs   []string `json:"policy_arns"`
}

// The limits below are STS's own (see the AssumeRoleWithWebIdentity API reference),
// checked here so a mistake shows up in `brs validate` with a file and line rather
// than at the first refresh.
const (
	// minDuration is the shortest session STS grants.
	minDuration = 15 * time.Minute
	// maxDuration is the longest session an IAM role can be configured for; the
	// role's own MaxSessionDuration (default 1h) is only known to AWS.
	maxDuration = 12 * time.Hour
	// defaultDuration matches STS's own default.
	defaultDuration = time.Hour
)

var (
	// sessionNameChars matches STS's RoleSessionName alphabet.
	sessionNameChars = regexp.MustCompile(`^[\w+=,.@-]*$`)
	// notSessionNameChar matches one character that RoleSessionName does not allow.
	notSessionNameChar = regexp.MustCompile(`[^\w+=,.@-]`)
)

// settings is a valid config with its duration parsed and its default applied.
type settings struct {
	config
	duration time.Duration
}

// Validate checks a config block: formats and ranges of values, and that exactly one
// of token_file and token_command is set. It calls no AWS API, reads no token and runs
// nothing: the token file may not exist until the pod starts.
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
	errorf := func(attr, summary, format string, args ...any) {
		ds = append(ds, confdiag.Errorf(attr, summary, format, args...))
	}

	switch {
	case c.RoleARN == "":
		errorf("role_arn", "Missing role ARN", "Set role_arn to the ARN of the role to assume, e.g. arn:aws:iam::111122223333:role/NAME.")
	case !isARN(c.RoleARN):
		errorf("role_arn", "Invalid role ARN", "role_arn must be a role ARN such as arn:aws:iam::111122223333:role/NAME; %q is not an ARN.", c.RoleARN)
	}

	switch {
	case c.TokenFile == "" && c.TokenCommand == "":
		errorf("", "Missing token", "Set token_file to the file that holds the web identity token (in EKS, "+
			"env(\"AWS_WEB_IDENTITY_TOKEN_FILE\", \"\")), or token_command to a command that prints it.")
	case c.TokenFile != "" && c.TokenCommand != "":
		errorf("token_command", "Conflicting token sources", "Set token_file or token_command, not both.")
	case c.TokenFile != "" && !filepath.IsAbs(c.TokenFile):
		ds = append(ds, confdiag.Warningf("token_file", "Relative token_file",
			"A relative token_file is read from the working directory of the program that uses brs, not from this file's directory "+
				"(and differs when the AWS CLI runs brs credential-process). Use an absolute path."))
	}

	if c.SessionName != "" && (len(c.SessionName) < 2 || len(c.SessionName) > 64 || !sessionNameChars.MatchString(c.SessionName)) {
		errorf("session_name", "Invalid session name", "session_name must be 2 to 64 characters of letters, digits and _+=,.@-.")
	}

	if c.Duration != "" {
		d, err := time.ParseDuration(c.Duration)
		switch {
		case err != nil:
			errorf("duration", "Invalid duration", "duration must be a Go duration such as \"1h\" or \"45m\": %v.", err)
		case d < minDuration || d > maxDuration:
			errorf("duration", "Duration out of range", "duration must be between %v and %v; %q is not.", minDuration, maxDuration, c.Duration)
		default:
			s.duration = d
		}
	}

	if c.Policy != "" {
		var doc map[string]any
		if err := json.Unmarshal([]byte(c.Policy), &doc); err != nil {
			errorf("policy", "Invalid policy", "policy must be a JSON policy document (an object with Version and Statement): %v.", err)
		}
	}
	for i, a := range c.PolicyARNs {
		if !isARN(a) {
			errorf("policy_arns", "Invalid policy ARN", "policy_arns[%d] must be a policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess; %q is not an ARN.", i, a)
		}
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
