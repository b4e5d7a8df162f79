package confdiag

import (
	"fmt"
	"strings"

	"github.com/brs-go/brs/shared"
)

// Errorf returns an error diagnostic about the attribute attr ("" for the whole
// block), its detail formatted as fmt.Sprintf does.
func Errorf(attr, summary, format string, args ...any) shared.Diagnostic {
	return shared.Diagnostic{
		Severity:  shared.SeverityError,
		Summary:   summary,
		Detail:    fmt.Sprintf(format, args...),
		Attribute: attr,
	}
}

// Warningf returns a warning diagnostic about the attribute attr ("" for the whole
// block), its detail formatted as fmt.Sprintf does.
func Warningf(attr, summary, format string, args ...any) shared.Diagnostic {
	return shared.Diagnostic{
		Severity:  shared.SeverityWarning,
		Summary:   summary,
		Detail:    fmt.Sprintf(format, args...),
		Attribute: attr,
	}
}

// Decode decodes cfg into v, a pointer to a source's config struct. It returns nil,
// or the error diagnostic of a block that could not be decoded.
func Decode(cfg shared.Config, v any) shared.Diagnostics {
	if err := cfg.Decode(v); err != nil {
		return shared.Diagnostics{Errorf("", "Invalid config", "The config block could not be decoded: %v.", err)}
	}
	return nil
}

// InvalidConfig is the error for a config that Validate would have refused; the host
// validates before it refreshes, so this only happens to callers that skip that.
// source names the source, e.g. "sts"; the message lists every error diagnostic.
func InvalidConfig(source string, ds shared.Diagnostics) *shared.Error {
	var msgs []string
	for _, d := range ds {
		if d.Severity != shared.SeverityError {
			continue
		}
		m := d.Summary + ": " + d.Detail
		if d.Attribute != "" {
			m = d.Attribute + ": " + m
		}
		msgs = append(msgs, m)
	}
	return shared.Permanent("InvalidConfig", "invalid %s config: %s", source, strings.Join(msgs, "; "))
}
