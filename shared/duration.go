package shared

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Duration is the value of a TypeDuration attribute in a source's config struct: it
// decodes from the JSON string the host sends ("90s", "1h30m"). Convert it with
// time.Duration(d).
//
//	type config struct {
//		Timeout shared.Duration `json:"timeout"`
//	}
type Duration time.Duration

// UnmarshalJSON decodes a JSON string that time.ParseDuration accepts. Its error does
// not quote the value.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("a duration must be a JSON string such as \"90s\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("not a duration such as \"90s\" or \"1h30m\"")
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON encodes d as the string time.Duration.String gives.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// String returns d as FormatDuration does.
func (d Duration) String() string { return FormatDuration(time.Duration(d)) }

// FormatDuration writes d as people write it: "15m", "12h", "1h30m", "100ms",
// without the zero units time.Duration.String adds ("15m0s").
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// CheckDuration parses value, the value of the duration attribute a, and checks it
// against a's bounds. It returns the duration, or an error diagnostic about a that
// says what is wrong ("timeout must be between 15m and 12h; \\"13h\\" is not"),
// quoting the value only when a is not sensitive.
func (a Attribute) CheckDuration(value string) (time.Duration, *Diagnostic) {
	quoted := func() string {
		if a.Sensitive {
			return ""
		}
		return fmt.Sprintf("; %q is not", Clean(value, MaxSummaryLen))
	}
	d, err := time.ParseDuration(value)
	if err != nil {
		diag := ErrorDiag(a.Name, "Invalid duration", "%s must be a duration such as \"90s\", \"15m\" or \"1h30m\" (units ns, us, ms, s, m, h)%s.", a.Name, quoted())
		return 0, &diag
	}
	var rule string
	switch {
	case a.Min > 0 && a.Max > 0 && (d < a.Min || d > a.Max):
		rule = fmt.Sprintf("between %s and %s", FormatDuration(a.Min), FormatDuration(a.Max))
	case a.Min > 0 && d < a.Min:
		rule = "at least " + FormatDuration(a.Min)
	case a.Max > 0 && d > a.Max:
		rule = "at most " + FormatDuration(a.Max)
	case d < 0:
		rule = "positive or zero"
	default:
		return d, nil
	}
	diag := ErrorDiag(a.Name, "Duration out of range", "%s must be %s%s.", a.Name, rule, quoted())
	return 0, &diag
}

// CheckDurations checks every TypeDuration attribute of schema that cfg sets, as
// CheckDuration does, and returns a diagnostic for each that fails. A source can call
// it from Validate; the plugin SDK adds its diagnostics for a host too old to check
// durations itself (contract 1.1 and before), and the host checks them at load.
func CheckDurations(schema Schema, cfg Config) Diagnostics {
	var attrs map[string]json.RawMessage
	if len(cfg) == 0 || json.Unmarshal(cfg, &attrs) != nil {
		return nil // Decode reports a block that is not an object
	}
	var ds Diagnostics
	for _, a := range schema.Attributes {
		raw, ok := attrs[a.Name]
		if a.Type != TypeDuration || !ok || string(raw) == "null" {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			ds = append(ds, ErrorDiag(a.Name, "Invalid duration", "%s must be a string such as \"90s\".", a.Name))
			continue
		}
		if _, d := a.CheckDuration(s); d != nil {
			ds = append(ds, *d)
		}
	}
	return ds
}

// DecodeConfig decodes cfg into v, a pointer to a source's config struct, after
// checking cfg's duration attributes against s (CheckDurations). It returns nil, or
// the diagnostics that say what is wrong: one per duration attribute that fails, each
// about its attribute, else the one error of a block that could not be decoded. Use
// Duration fields for the duration attributes.
func (s Schema) DecodeConfig(cfg Config, v any) Diagnostics {
	if ds := CheckDurations(s, cfg); ds != nil {
		return ds
	}
	return DecodeConfig(cfg, v)
}
