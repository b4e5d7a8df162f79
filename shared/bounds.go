package shared

import (
	"fmt"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/safetext"
)

// The bounds the host puts on what a plugin sends it. A plugin is a separate binary,
// perhaps a third party's: whatever it answers, the host's memory stays bounded and
// nothing it prints can carry terminal control sequences.
const (
	// MaxMessageSize is the largest gRPC message the host accepts from a plugin.
	// A credentials answer is a few KB and a schema less; 1 MiB leaves room for any
	// honest answer and keeps a hostile one from costing the host more than that.
	MaxMessageSize = 1 << 20

	// MaxAccessKeyIDLen is the longest access key id accepted: AWS documents
	// AccessKeyId as 16 to 128 characters.
	MaxAccessKeyIDLen = 128
	// MaxSecretAccessKeyLen is the longest secret access key accepted. AWS keys are 40
	// characters and AWS documents no maximum; S3-compatible servers use their own
	// formats, so the bound is generous.
	MaxSecretAccessKeyLen = 1 << 10
	// MaxSessionTokenLen is the longest session token accepted. AWS documents no
	// maximum ("do not assume a size"); STS tokens are 0.5 to 2 KB and grow to a few
	// KB with session tags and session policies, so 16 KiB is several times the
	// largest seen.
	MaxSessionTokenLen = 16 << 10
	// MaxARNLen is the longest ARN accepted: AWS documents AssumedRoleUser.Arn as at
	// most 2048 characters.
	MaxARNLen = 2048
	// MaxAccountIDLen is the longest account id accepted. AWS account ids are 12
	// digits; S3-compatible servers may use other ids, so only a length is imposed.
	MaxAccountIDLen = 64

	// MaxExpiryAhead is how far in the future credentials may expire. The longest
	// AWS temporary credentials live 36 hours (GetSessionToken, GetFederationToken);
	// AssumeRole, SSO and IoT give at most 12 hours, container credentials about 6.
	// A week is several times any of them, yet short enough that credentials
	// claiming to expire in the year 9999 are refused instead of being kept and never
	// refreshed. A source whose credentials really do not expire reports no expiry.
	MaxExpiryAhead = 7 * 24 * time.Hour

	// MaxMessageLen bounds the message of an error from a plugin, and the detail
	// and description texts of its diagnostics and schema; longer texts are cut, with
	// a marker that says so.
	MaxMessageLen = 4 << 10
	// MaxSummaryLen bounds short texts from a plugin: error codes, diagnostic
	// summaries, attribute names.
	MaxSummaryLen = 256
	// MaxPrompts bounds the prompts of one InputRequired error (an MFA code, a
	// password and a second factor at most); an error with more is refused.
	MaxPrompts = 4
	// MaxAnswerLen bounds one answer to a prompt: what a person types, a code or
	// a password.
	MaxAnswerLen = 1 << 10
	// MaxDiagnostics bounds the diagnostics the host takes from one validation; the
	// ones after it are replaced by one that says how many were left out.
	MaxDiagnostics = 100
)

// CheckCredentials reports why credentials a source answered cannot be handed out:
// a field too long or holding characters other than printable ASCII, or an expiry
// more than MaxExpiryAhead after now. The error names the field and the rule, never
// its value. Empty fields and expiries in the past are left to the caller.
func CheckCredentials(c Credentials, now time.Time) error {
	for _, f := range []struct {
		name, value string
		max         int
	}{
		{"access key id", c.AccessKeyID, MaxAccessKeyIDLen},
		{"secret access key", c.SecretAccessKey, MaxSecretAccessKeyLen},
		{"session token", c.SessionToken, MaxSessionTokenLen},
		{"account id", c.AccountID, MaxAccountIDLen},
		{"ARN", c.ARN, MaxARNLen},
	} {
		if len(f.value) > f.max {
			return fmt.Errorf("the %s is %d bytes long, more than the %d accepted", f.name, len(f.value), f.max)
		}
		if i := strings.IndexFunc(f.value, func(r rune) bool { return r <= ' ' || r > '~' }); i >= 0 {
			return fmt.Errorf("the %s holds a character other than printable ASCII (at byte %d)", f.name, i)
		}
	}
	if c.CanExpire() && c.Expires.Sub(now) > MaxExpiryAhead {
		return fmt.Errorf("the credentials expire at %s, more than %d days from now; credentials that do not expire must have no expiry",
			c.Expires.UTC().Format(time.RFC3339), MaxExpiryAhead/(24*time.Hour))
	}
	return nil
}

// Clean bounds a text from a plugin to max bytes and escapes its control characters,
// so that it can be logged or printed safely.
func Clean(s string, max int) string { return safetext.Clean(s, max) }
