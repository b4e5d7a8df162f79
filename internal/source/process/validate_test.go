package process_test

import (
	"context"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/process"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

func TestSchema(t *testing.T) {
	s := plugintest.CheckSchema(t, process.New())
	want := map[string]shared.Type{"command": shared.TypeString, "timeout": shared.TypeString, "env": shared.TypeStringMap,
		"inherit_env": shared.TypeStringList, "dir": shared.TypeString}
	for name, typ := range want {
		a, ok := s.Attribute(name)
		if !ok || a.Type != typ || a.Description == "" || a.Required != (name == "command") {
			t.Errorf("%s = %+v, %v; want a described %s, required only for command", name, a, ok, typ)
		}
	}
	if a, _ := s.Attribute("env"); !a.Sensitive {
		t.Errorf("env is not sensitive: its values are where tokens for the command go")
	}
	// Command is not on the wire yet (contract 1.1): ask the source itself.
	direct, err := process.New().Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range direct.Schema.Attributes {
		if a.Command != (a.Name == "command") {
			t.Errorf("%s: Command = %v; only command is run as a command", a.Name, a.Command)
		}
	}
	if len(s.Attributes) != len(want) {
		t.Errorf("%d attributes, want %d", len(s.Attributes), len(want))
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name, cfg, attr, summary string
		sev                      shared.Severity
	}{
		{"empty command", `{"command": " "}`, "command", "Missing command", shared.SeverityError},
		{"no command", `{}`, "command", "Missing command", shared.SeverityError},
		{"timeout unparsable", `{"command": "x", "timeout": "1 minute"}`, "timeout", "Invalid timeout", shared.SeverityError},
		{"timeout zero", `{"command": "x", "timeout": "0s"}`, "timeout", "Invalid timeout", shared.SeverityError},
		{"timeout negative", `{"command": "x", "timeout": "-1s"}`, "timeout", "Invalid timeout", shared.SeverityError},
		{"env name with =", `{"command": "x", "env": {"A=B": "c"}}`, "env", "Invalid environment variable name", shared.SeverityError},
		{"env name empty", `{"command": "x", "env": {"": "c"}}`, "env", "Invalid environment variable name", shared.SeverityError},
		{"env name digit", `{"command": "x", "env": {"1A": "c"}}`, "env", "Invalid environment variable name", shared.SeverityError},
		{"env value NUL", `{"command": "x", "env": {"TOKEN": "sec\u0000ret-value"}}`, "env", "Invalid environment variable value", shared.SeverityError},
		{"env reserved", `{"command": "x", "env": {"PLUGIN_CLIENT_CERT": "c"}}`, "env", "Reserved environment variable", shared.SeverityError},
		{"inherit_env name", `{"command": "x", "inherit_env": ["A-B"]}`, "inherit_env", "Invalid environment variable name", shared.SeverityError},
		{"inherit_env reserved", `{"command": "x", "inherit_env": ["BRS_PLUGIN_MAGIC_COOKIE"]}`, "inherit_env", "Reserved environment variable", shared.SeverityError},
		{"inherit_env twice", `{"command": "x", "inherit_env": ["A", "A"]}`, "inherit_env", "Duplicate environment variable", shared.SeverityError},
		{"inherit_env and env", `{"command": "x", "env": {"A": "sec-ret-value"}, "inherit_env": ["A"]}`, "inherit_env", "Environment variable set twice", shared.SeverityError},
		{"relative dir", `{"command": "x", "dir": "work"}`, "dir", "Relative dir", shared.SeverityWarning},
		{"unknown attribute", `{"command": "x", "args": []}`, "", "Invalid config", shared.SeverityError},
	}
	for via, r := range map[string]shared.Refresher{"in-process": process.New(), "over gRPC": plugintest.Connect(t, process.New())} {
		for _, c := range cases {
			t.Run(via+"/"+c.name, func(t *testing.T) {
				ds, err := sourcetest.Validate(context.Background(), r, shared.Config(c.cfg))
				if err != nil {
					t.Fatal(err)
				}
				if len(ds) != 1 || ds[0].Severity != c.sev || ds[0].Attribute != c.attr || ds[0].Summary != c.summary || ds[0].Detail == "" {
					t.Fatalf("got %+v, want one {%v %q %q}", ds, c.sev, c.attr, c.summary)
				}
				if strings.Contains(ds[0].Detail, "ret-value") {
					t.Errorf("detail %q repeats a sensitive env value", ds[0].Detail)
				}
			})
		}
		t.Run(via+"/valid", func(t *testing.T) {
			for _, cfg := range []string{`{"command": "x"}`, `{"command": "x", "timeout": "1ms", "env": {"_A1": "", "B": "v"}, "inherit_env": ["AWS_PROFILE"], "dir": "/tmp"}`} {
				ds, err := sourcetest.Validate(context.Background(), r, shared.Config(cfg))
				if err != nil || len(ds) != 0 {
					t.Errorf("Validate(%s) = %+v, %v; want no diagnostics", cfg, ds, err)
				}
			}
		})
	}
}

// TestRefreshRefusesInvalidConfig checks that Refresh runs nothing for a config that
// Validate refuses, and says why.
func TestRefreshRefusesInvalidConfig(t *testing.T) {
	marker := t.TempDir() + "/ran"
	_, err := sourcetest.Refresh(context.Background(), process.New(), shared.RefreshRequest{
		Role: "r", Config: shared.Config(`{"command": "touch ` + marker + `", "timeout": "soon"}`),
	})
	e := sharedError(t, err, "InvalidConfig", false)
	if !strings.Contains(e.Message, "timeout: Invalid timeout") {
		t.Errorf("message %q does not name the attribute", e.Message)
	}
	if fileExists(marker) {
		t.Errorf("the command ran")
	}
}
