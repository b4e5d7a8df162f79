package stsparams

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

const (
	// MinDuration is the shortest session STS grants.
	MinDuration = 15 * time.Minute
	// MaxDuration is the longest session an IAM role can be configured for; the
	// role's own MaxSessionDuration (default 1h) and the 1h limit on chained roles are
	// only known to AWS, which answers ValidationError beyond them.
	MaxDuration = 12 * time.Hour
	// DefaultDuration matches STS's own default.
	DefaultDuration = time.Hour
)

var (
	// sessionNameChars matches STS's RoleSessionName and SourceIdentity alphabet.
	sessionNameChars = regexp.MustCompile(`^[\w+=,.@-]*$`)
	// notSessionNameChar matches one character that RoleSessionName does not allow.
	notSessionNameChar = regexp.MustCompile(`[^\w+=,.@-]`)
)

// IsSessionName reports whether STS accepts s as a RoleSessionName (or a
// SourceIdentity, which has the same rules): 2 to 64 characters of letters, digits
// and _+=,.@-.
func IsSessionName(s string) bool {
	return len(s) >= 2 && len(s) <= 64 && sessionNameChars.MatchString(s)
}

// SessionName returns the session name for the role block called role: configured if
// set, else "brs-" and role with every character STS does not allow replaced by "-",
// cut to STS's 64-character limit.
func SessionName(configured, role string) string {
	if configured != "" {
		return configured
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

// CheckRoleARN returns the diagnostics of role_arn: it must be set, and an ARN.
func CheckRoleARN(roleARN string) shared.Diagnostics {
	switch {
	case roleARN == "":
		return shared.Diagnostics{shared.ErrorDiag("role_arn", "Missing role ARN", "Set role_arn to the ARN of the role to assume, e.g. arn:aws:iam::111122223333:role/NAME.")}
	case !IsARN(roleARN):
		return shared.Diagnostics{shared.ErrorDiag("role_arn", "Invalid role ARN", "role_arn must be a role ARN such as arn:aws:iam::111122223333:role/NAME; %q is not an ARN.", roleARN)}
	}
	return nil
}

// CheckSessionName returns the diagnostics of session_name, which may be unset.
func CheckSessionName(name string) shared.Diagnostics {
	if name != "" && !IsSessionName(name) {
		return shared.Diagnostics{shared.ErrorDiag("session_name", "Invalid session name", "session_name must be 2 to 64 characters of letters, digits and _+=,.@-.")}
	}
	return nil
}

// ParseDuration parses duration, which may be unset, and checks it against STS's
// limits. It returns DefaultDuration when duration is unset or wrong.
func ParseDuration(duration string) (time.Duration, shared.Diagnostics) {
	if duration == "" {
		return DefaultDuration, nil
	}
	d, err := time.ParseDuration(duration)
	switch {
	case err != nil:
		return DefaultDuration, shared.Diagnostics{shared.ErrorDiag("duration", "Invalid duration", "duration must be a Go duration such as \"1h\" or \"45m\": %v.", err)}
	case d < MinDuration || d > MaxDuration:
		return DefaultDuration, shared.Diagnostics{shared.ErrorDiag("duration", "Duration out of range", "duration must be between %v and %v; %q is not.", MinDuration, MaxDuration, duration)}
	}
	return d, nil
}

// CheckPolicies returns the diagnostics of the session policies: policy, if set, must
// be a JSON document, and every one of policyARNs an ARN.
func CheckPolicies(policy string, policyARNs []string) shared.Diagnostics {
	var ds shared.Diagnostics
	if policy != "" {
		var doc map[string]any
		if err := json.Unmarshal([]byte(policy), &doc); err != nil {
			ds = append(ds, shared.ErrorDiag("policy", "Invalid policy", "policy must be a JSON policy document (an object with Version and Statement): %v.", err))
		}
	}
	for i, a := range policyARNs {
		if !IsARN(a) {
			ds = append(ds, shared.ErrorDiag("policy_arns", "Invalid policy ARN", "policy_arns[%d] must be a policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess; %q is not an ARN.", i, a))
		}
	}
	return ds
}

// IsARN reports whether s has the shape arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
func IsARN(s string) bool {
	parts := strings.SplitN(s, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] != "" && parts[5] != ""
}

// AccountID returns the account of an ARN such as
// arn:aws:sts::123456789012:assumed-role/NAME/SESSION, or "" if it has none.
func AccountID(arn string) string {
	if !IsARN(arn) {
		return ""
	}
	return strings.SplitN(arn, ":", 6)[4]
}
