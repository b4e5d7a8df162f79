package config

import (
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/shared"
)

// TestDecodeConfigDurations: a duration attribute's value is checked at load against
// its bounds, and a bad one is an error at the value's file:line:col; a good one
// reaches the source as written.
func TestDecodeConfigDurations(t *testing.T) {
	schema := shared.Schema{Description: "d", Attributes: []shared.Attribute{
		{Name: "duration", Type: shared.TypeDuration, Min: 15 * time.Minute, Max: 12 * time.Hour},
		{Name: "pin", Type: shared.TypeDuration, Sensitive: true},
	}}
	for _, tc := range []struct {
		value, summary, detail string
	}{
		{`"13h"`, "Duration out of range", `duration must be between 15m and 12h; "13h" is not.`},
		{`"5m"`, "Duration out of range", `duration must be between 15m and 12h; "5m" is not.`},
		{`"an hour"`, "Invalid duration", `duration must be a duration such as "90s"`},
		{`3600`, "", ""}, // a number converts to the string "3600", which has no unit
	} {
		f, r := parseRole(t, "role \"a\" {\n  source = \"test\"\n  config {\n    duration = "+tc.value+"\n  }\n}\n")
		dec, diags := DecodeConfig(r, schema)
		if !diags.HasErrors() || dec != nil {
			t.Errorf("%s: accepted: %v", tc.value, diags)
			continue
		}
		d := firstError(diags)
		if tc.summary != "" && (d.Summary != tc.summary || !strings.HasPrefix(d.Detail, tc.detail)) {
			t.Errorf("%s: %q: %q, want %q: %q", tc.value, d.Summary, d.Detail, tc.summary, tc.detail)
		}
		if d.Subject == nil || d.Subject.Filename != f.Path || d.Subject.Start.Line != 4 || d.Subject.Start.Column != 16 {
			t.Errorf("%s: diagnostic at %v, want %s:4:16", tc.value, d.Subject, f.Path)
		}
	}
	_, r := parseRole(t, `role "a" {
  source = "test"
  config {
    duration = "1h30m"
    pin      = "1s"
  }
}`)
	dec, diags := DecodeConfig(r, schema)
	if diags.HasErrors() || string(dec.JSON) != `{"duration":"1h30m","pin":"1s"}` {
		t.Fatalf("DecodeConfig = %s, %v", dec.JSON, diags)
	}
}
