package shared_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/shared"
)

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		15 * time.Minute: "15m", 12 * time.Hour: "12h", 90 * time.Minute: "1h30m", 100 * time.Millisecond: "100ms",
		90 * time.Second: "1m30s", time.Hour + 5*time.Second: "1h0m5s", 0: "0s", 1500 * time.Millisecond: "1.5s",
	} {
		if got := shared.FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestCheckDuration: each bound gets its own message; a sensitive value is never
// quoted.
func TestCheckDuration(t *testing.T) {
	both := shared.Attribute{Name: "duration", Type: shared.TypeDuration, Min: 15 * time.Minute, Max: 12 * time.Hour}
	for _, tc := range []struct {
		a       shared.Attribute
		value   string
		summary string
		detail  string
	}{
		{both, "13h", "Duration out of range", `duration must be between 15m and 12h; "13h" is not.`},
		{both, "14m59s", "Duration out of range", `duration must be between 15m and 12h; "14m59s" is not.`},
		{both, "12", "Invalid duration", `duration must be a duration such as "90s", "15m" or "1h30m" (units ns, us, ms, s, m, h); "12" is not.`},
		{shared.Attribute{Name: "ttl", Type: shared.TypeDuration, Min: time.Second}, "1ms", "Duration out of range", `ttl must be at least 1s; "1ms" is not.`},
		{shared.Attribute{Name: "ttl", Type: shared.TypeDuration, Max: time.Hour}, "2h", "Duration out of range", `ttl must be at most 1h; "2h" is not.`},
		{shared.Attribute{Name: "ttl", Type: shared.TypeDuration}, "-1s", "Duration out of range", `ttl must be positive or zero; "-1s" is not.`},
		{shared.Attribute{Name: "pin", Type: shared.TypeDuration, Sensitive: true, Max: time.Hour}, "s3cr3t", "Invalid duration", `pin must be a duration such as "90s", "15m" or "1h30m" (units ns, us, ms, s, m, h).`},
		{shared.Attribute{Name: "pin", Type: shared.TypeDuration, Sensitive: true, Max: time.Hour}, "99h", "Duration out of range", `pin must be at most 1h.`},
	} {
		_, d := tc.a.CheckDuration(tc.value)
		if d == nil || d.Severity != shared.SeverityError || d.Attribute != tc.a.Name || d.Summary != tc.summary || d.Detail != tc.detail {
			t.Errorf("CheckDuration(%q) = %+v, want %q: %q", tc.value, d, tc.summary, tc.detail)
		}
	}
	for _, v := range []string{"15m", "12h", "1h30m", "900s"} {
		if d, diag := both.CheckDuration(v); diag != nil || d < 15*time.Minute {
			t.Errorf("CheckDuration(%q) = %v, %+v; want it accepted", v, d, diag)
		}
	}
}

// TestDurationDecode: a config struct's Duration field decodes the host's string, and
// Schema.DecodeConfig reports a bad value at its attribute, not the whole block.
func TestDurationDecode(t *testing.T) {
	s := shared.Schema{Description: "x", Attributes: []shared.Attribute{
		{Name: "timeout", Type: shared.TypeDuration, Description: "x", Min: time.Second, Max: time.Minute},
		{Name: "name", Type: shared.TypeString, Description: "x"},
	}}
	var c struct {
		Timeout shared.Duration `json:"timeout"`
		Name    string          `json:"name"`
	}
	if ds := s.DecodeConfig(shared.Config(`{"timeout": "1m", "name": "n"}`), &c); ds != nil || time.Duration(c.Timeout) != time.Minute {
		t.Fatalf("DecodeConfig = %+v, %v", ds, c.Timeout)
	}
	for cfg, want := range map[string]string{
		`{"timeout": "2m"}`:         "timeout must be between 1s and 1m",
		`{"timeout": "soon"}`:       "timeout must be a duration",
		`{"timeout": 5}`:            "timeout must be a string",
		`{"timeout": "1m", "x": 1}`: "could not be decoded",
	} {
		ds := s.DecodeConfig(shared.Config(cfg), &c)
		if len(ds) != 1 || !strings.Contains(ds[0].Detail, want) {
			t.Errorf("DecodeConfig(%s) = %+v, want one diagnostic saying %q", cfg, ds, want)
		}
	}
	b, err := json.Marshal(shared.Duration(90 * time.Second))
	if err != nil || string(b) != `"1m30s"` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	var d shared.Duration
	if err := json.Unmarshal([]byte(`"s3cr3t"`), &d); err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("Unmarshal of a non-duration = %v, want an error that does not quote it", err)
	}
}

// TestCheckSchemaBounds: bounds belong to durations, are not negative and in order.
func TestCheckSchemaBounds(t *testing.T) {
	attr := func(a shared.Attribute) shared.Schema {
		a.Name, a.Description = "a", "x"
		return shared.Schema{Description: "x", Attributes: []shared.Attribute{a}}
	}
	if err := shared.CheckSchema(attr(shared.Attribute{Type: shared.TypeDuration, Min: time.Second, Max: time.Hour})); err != nil {
		t.Errorf("a bounded duration: %v", err)
	}
	for want, a := range map[string]shared.Attribute{
		"only a duration has bounds": {Type: shared.TypeString, Max: time.Hour},
		"must not be negative":       {Type: shared.TypeDuration, Min: -time.Second},
		"Min must not be above Max":  {Type: shared.TypeDuration, Min: time.Hour, Max: time.Second},
	} {
		if err := shared.CheckSchema(attr(a)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckSchema(%+v) = %v, want %q", a, err, want)
		}
	}
}
