package shared

import (
	"fmt"
	"strings"
)

// ErrorDiag returns an error diagnostic about the attribute attr ("" for the whole
// config block), its detail formatted as fmt.Sprintf does. The detail should say what
// is wrong and what to do, and never quote a sensitive value.
func ErrorDiag(attr, summary, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: SeverityError, Summary: summary, Detail: fmt.Sprintf(format, args...), Attribute: attr}
}

// WarningDiag returns a warning diagnostic about the attribute attr ("" for the whole
// config block), its detail formatted as fmt.Sprintf does.
func WarningDiag(attr, summary, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: SeverityWarning, Summary: summary, Detail: fmt.Sprintf(format, args...), Attribute: attr}
}

// DecodeConfig decodes cfg into v, a pointer to a source's config struct, as
// Config.Decode does. It returns nil, or the one error diagnostic of a block that
// could not be decoded, ready to return from Validate.
func DecodeConfig(cfg Config, v any) Diagnostics {
	if err := cfg.Decode(v); err != nil {
		return Diagnostics{ErrorDiag("", "Invalid config", "The config block could not be decoded: %v.", err)}
	}
	return nil
}

// InvalidConfig is the error for Refresh to return when the config holds what
// Validate refuses. The host validates before it refreshes, so only callers that skip
// validation see it. source names the source, e.g. "sts"; the message lists every
// error diagnostic in ds.
func InvalidConfig(source string, ds Diagnostics) *Error {
	var msgs []string
	for _, d := range ds {
		if d.Severity != SeverityError {
			continue
		}
		m := d.Summary + ": " + d.Detail
		if d.Attribute != "" {
			m = d.Attribute + ": " + m
		}
		msgs = append(msgs, m)
	}
	return Permanent("InvalidConfig", "invalid %s config: %s", source, strings.Join(msgs, "; "))
}
