package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseGoesOnAfterSyntaxError checks that a syntax error HCL recovers from does
// not hide the mistakes of the other blocks: each is reported once, the roles with
// errors are marked Invalid (a broken plugin block too, so that nothing runs for it),
// and the rest are complete.
func TestParseGoesOnAfterSyntaxError(t *testing.T) {
	src := `plugin "p" {
  command = 
}

role "broken" {
  source =
}

role "typo" {
  source = "sts"
  regoin = "x"
}

role "fine" {
  source      = "sts"
  source_role = "broken"
}
`
	f, diags := ParseSource([]byte(src), "brs.hcl")
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%d:%d %s", d.Subject.Start.Line, d.Subject.Start.Column, d.Summary))
	}
	want := []string{"2:13 Invalid expression", "6:11 Invalid expression", "11:3 Unsupported argument"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := f.Plugins["p"]; p == nil || !p.Invalid {
		t.Errorf("plugin p = %+v, want it known and Invalid", p)
	}
	for name, invalid := range map[string]bool{"broken": true, "typo": true, "fine": false} {
		if r := f.Role(name); r == nil || r.Invalid != invalid {
			t.Errorf("role %s = %+v, want Invalid %v", name, r, invalid)
		}
	}
	if r := f.Role("fine"); r.Source != "sts" || r.SourceRole != "broken" {
		t.Errorf("role fine: source %q, source_role %q", r.Source, r.SourceRole)
	}
}
