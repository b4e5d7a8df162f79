package webidentity_test

import (
	"context"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/webidentity"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

const fullConfig = `{
	"role_arn": "arn:aws:iam::111122223333:role/pods",
	"token_file": "/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
	"session_name": "ci-deploy",
	"duration": "45m",
	"policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}",
	"policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}`

func TestSchema(t *testing.T) {
	s := plugintest.CheckSchema(t, webidentity.New())
	for _, a := range s.Attributes {
		if a.Description == "" || a.Required != (a.Name == "role_arn") || a.Sensitive != (a.Name == "env") {
			t.Errorf("attribute %+v: want a description, only role_arn required, only env sensitive", a)
		}
	}
	checkCommandAttributes(t, webidentity.New(), "token_command")
	if a, _ := s.Attribute("policy_arns"); a.Type != shared.TypeStringList {
		t.Errorf("policy_arns has type %q", a.Type)
	}
	if len(s.Attributes) != 9 {
		t.Errorf("%d attributes, want 9", len(s.Attributes))
	}
}

func TestValidate(t *testing.T) {
	const arn = `"role_arn": "arn:aws:iam::111122223333:role/r"`
	const file = `"token_file": "/var/run/token"`
	cases := []struct {
		name, cfg, attr, summary string
		sev                      shared.Severity
	}{
		{"missing role_arn", `{` + file + `}`, "role_arn", "Missing role ARN", shared.SeverityError},
		{"role_arn not an ARN", `{"role_arn": "pods", ` + file + `}`, "role_arn", "Invalid role ARN", shared.SeverityError},
		{"no token", `{` + arn + `}`, "", "Missing token", shared.SeverityError},
		{"empty token settings", `{` + arn + `, "token_file": "", "token_command": ""}`, "", "Missing token", shared.SeverityError},
		{"both token sources", `{` + arn + `, ` + file + `, "token_command": "idp-token"}`, "token_command", "Conflicting token sources", shared.SeverityError},
		{"relative token_file", `{` + arn + `, "token_file": "token"}`, "token_file", "Relative token_file", shared.SeverityWarning},
		{"duration unparsable", `{` + arn + `, ` + file + `, "duration": "1 hour"}`, "duration", "Invalid duration", shared.SeverityError},
		{"duration below 15m", `{` + arn + `, ` + file + `, "duration": "14m"}`, "duration", "Duration out of range", shared.SeverityError},
		{"duration above 12h", `{` + arn + `, ` + file + `, "duration": "13h"}`, "duration", "Duration out of range", shared.SeverityError},
		{"session_name with a space", `{` + arn + `, ` + file + `, "session_name": "my session"}`, "session_name", "Invalid session name", shared.SeverityError},
		{"session_name too short", `{` + arn + `, ` + file + `, "session_name": "s"}`, "session_name", "Invalid session name", shared.SeverityError},
		{"policy not JSON", `{` + arn + `, ` + file + `, "policy": "{"}`, "policy", "Invalid policy", shared.SeverityError},
		{"policy_arns not ARNs", `{` + arn + `, ` + file + `, "policy_arns": ["ReadOnlyAccess"]}`, "policy_arns", "Invalid policy ARN", shared.SeverityError},
		{"unknown attribute", `{` + arn + `, ` + file + `, "token": "x"}`, "", "Invalid config", shared.SeverityError},
		{"env name", `{` + arn + `, "token_command": "t", "env": {"A-B": "v"}}`, "env", "Invalid environment variable name", shared.SeverityError},
		{"inherit_env reserved", `{` + arn + `, "token_command": "t", "inherit_env": ["PLUGIN_MIN_PORT"]}`, "inherit_env", "Reserved environment variable", shared.SeverityError},
		{"env without token_command", `{` + arn + `, ` + file + `, "env": {"A": "v"}}`, "env", "Environment without a command", shared.SeverityWarning},
	}
	for via, r := range map[string]shared.Refresher{"in-process": webidentity.New(), "over gRPC": plugintest.Connect(t, webidentity.New())} {
		for _, c := range cases {
			t.Run(via+"/"+c.name, func(t *testing.T) {
				ds, err := sourcetest.Validate(context.Background(), r, shared.Config(c.cfg))
				if err != nil {
					t.Fatal(err)
				}
				if len(ds) != 1 || ds[0].Severity != c.sev || ds[0].Attribute != c.attr || ds[0].Summary != c.summary || ds[0].Detail == "" {
					t.Fatalf("got %+v, want one {%v %q %q}", ds, c.sev, c.attr, c.summary)
				}
			})
		}
		t.Run(via+"/valid", func(t *testing.T) {
			for _, cfg := range []string{fullConfig, `{` + arn + `, "token_command": "idp-token --audience sts.amazonaws.com"}`,
				`{` + arn + `, "token_file": "", "token_command": "idp-token"}`} {
				ds, err := sourcetest.Validate(context.Background(), r, shared.Config(cfg))
				if err != nil || len(ds) != 0 {
					t.Errorf("Validate(%s) = %+v, %v; want no diagnostics", cfg, ds, err)
				}
			}
		})
	}
}

// TestRefreshRefusesInvalidConfig checks that Refresh does not call STS or run a
// command with a config that Validate refuses, and says why.
func TestRefreshRefusesInvalidConfig(t *testing.T) {
	f := startFakeSTS(t)
	_, err := sourcetest.Refresh(context.Background(), webidentity.New(), request(f.URL,
		`{"role_arn": "pods", "token_file": "/t", "token_command": "touch /nonexistent", "duration": "5m"}`))
	e := sharedError(t, err, "InvalidConfig", false)
	for _, want := range []string{"role_arn: Invalid role ARN", "token_command: Conflicting token sources", "duration: Duration out of range"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q does not mention %q", e.Message, want)
		}
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("STS was called %d times", n)
	}
}

// TestSourceRoleRefused checks that a chained web_identity role is refused without a
// call: the call is not signed, so source credentials would be silently ignored.
func TestSourceRoleRefused(t *testing.T) {
	f := startFakeSTS(t)
	path := tokenPath(t)
	writeToken(t, path, "header.payload.signature")
	req := request(f.URL, fileConfig(path))
	req.Source = &shared.Credentials{AccessKeyID: "AKIA", SecretAccessKey: "source-secret-0123456789"}
	_, err := sourcetest.Refresh(context.Background(), webidentity.New(), req)
	e := sharedError(t, err, "SourceRoleUnsupported", false, "source-secret-0123456789")
	if !strings.Contains(e.Message, "remove source_role") {
		t.Errorf("message %q", e.Message)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("STS was called %d times", n)
	}
}

// checkCommandAttributes checks that command, and only it, is marked as run as a
// command. Command is not on the wire yet (contract 1.1): it asks the source itself.
func checkCommandAttributes(t *testing.T, r shared.Refresher, command string) {
	t.Helper()
	resp, err := r.Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range resp.Schema.Attributes {
		if a.Command != (a.Name == command) {
			t.Errorf("%s: Command = %v; only %s is run as a command", a.Name, a.Command, command)
		}
	}
}
