package host_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
)

// TestLoadDiagnostics: errors found with the plugin's schema and its own validation
// point at the file, line and column of the offending attribute.
func TestLoadDiagnostics(t *testing.T) {
	for _, tc := range []struct {
		name, src, summary string
		line, col          int
	}{
		{"unknown source", `role "a" {
  source = "nope"
}`, "Unknown credential source", 2, 12},
		{"unknown config attribute", `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  config {
    lifetim = "1h"
  }
}`, "Unsupported argument", 7, 5},
		{"wrong type", `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  config {
    hang = ["x"]
  }
}`, "Incorrect attribute value type", 7, 12},
		{"plugin validation", `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  config {
    lifetime = "forever"
  }
}`, "Invalid lifetime", 7, 16},
		{"plugin cannot start", `plugin "test" {
  command = "/nonexistent/brs-plugin-test"
}
role "a" {
  source = "test"
}`, "Plugin failed to start", 5, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := host.Load(context.Background(), writeHCL(t, tc.src))
			var le *host.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want *host.LoadError", err)
			}
			d := le.Diagnostics[0]
			if d.Summary != tc.summary || d.Subject == nil || d.Subject.Start.Line != tc.line || d.Subject.Start.Column != tc.col {
				t.Fatalf("got %q at %v, want %q at %d:%d (detail: %s)", d.Summary, d.Subject, tc.summary, tc.line, tc.col, d.Detail)
			}
			if !strings.HasSuffix(d.Subject.Filename, "brs.hcl") {
				t.Fatalf("filename %q", d.Subject.Filename)
			}
			var text strings.Builder
			if err := le.WriteText(&text, false); err != nil || !strings.Contains(text.String(), tc.summary) {
				t.Fatalf("WriteText: %v\n%s", err, text.String())
			}
		})
	}
}

func TestUnknownRole(t *testing.T) {
	h := load(t, threeRoles)
	_, err := h.Provider("nope")
	if err == nil || !strings.Contains(err.Error(), `no role "nope"`) || !strings.Contains(err.Error(), "a, b, c") {
		t.Fatalf("err = %v", err)
	}
}

func TestMandatoryLongerThanDefaultAdvisory(t *testing.T) {
	_, err := host.Load(context.Background(), writeHCL(t, `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  refresh {
    mandatory = "10m"
  }
}`))
	var le *host.LoadError
	if !errors.As(err, &le) || le.Diagnostics[0].Summary != "Mandatory window too long" || le.Diagnostics[0].Subject.Start.Line != 7 {
		t.Fatalf("err = %v", err)
	}
}
