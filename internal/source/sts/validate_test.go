package sts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// fullConfig sets every attribute to a valid value.
const fullConfig = `{
	"role_arn": "arn:aws:iam::111122223333:role/analytics",
	"session_name": "nightly-etl",
	"duration": "45m",
	"external_id": "etl-external-id",
	"policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}",
	"policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
	"tags": {"team": "data", "cost-center": "42"},
	"transitive_tag_keys": ["team"],
	"source_identity": "alice",
	"mfa_serial": "arn:aws:iam::111122223333:mfa/alice",
	"mfa_token_command": "echo 123456"
}`

func TestSchema(t *testing.T) {
	s := plugintest.CheckSchema(t, sts.New())
	a, ok := s.Attribute("role_arn")
	if !ok || !a.Required {
		t.Errorf("role_arn = %+v, %v; want a required attribute", a, ok)
	}
	for _, name := range []string{"policy_arns", "transitive_tag_keys"} {
		if a, _ := s.Attribute(name); a.Type != shared.TypeStringList {
			t.Errorf("%s has type %q, want %q", name, a.Type, shared.TypeStringList)
		}
	}
	if a, _ := s.Attribute("tags"); a.Type != shared.TypeStringMap {
		t.Errorf("tags has type %q, want %q", a.Type, shared.TypeStringMap)
	}
	if a, _ := s.Attribute("env"); a.Type != shared.TypeStringMap || !a.Sensitive {
		t.Errorf("env = %+v, want a sensitive map: an OTP seed goes there", a)
	}
	// The source's own answer (pluginrpc tests that Command crosses the wire).
	resp, err := sts.New().Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range resp.Schema.Attributes {
		if a.Command != (a.Name == "mfa_token_command") {
			t.Errorf("%s: Command = %v; only mfa_token_command is run as a command", a.Name, a.Command)
		}
	}
}

func TestValidate(t *testing.T) {
	manyTags := make([]string, 51)
	for i := range manyTags {
		manyTags[i] = fmt.Sprintf("%q: \"v\"", fmt.Sprint("k", i))
	}
	const arn = `"role_arn": "arn:aws:iam::111122223333:role/r"`
	cases := []struct {
		name, cfg, attr, summary string
	}{
		{"missing role_arn", `{}`, "role_arn", "Missing role ARN"},
		{"role_arn not an ARN", `{"role_arn": "analytics"}`, "role_arn", "Invalid role ARN"},
		{"role_arn too short", `{"role_arn": "arn:aws:iam"}`, "role_arn", "Invalid role ARN"},
		{"duration unparsable", `{` + arn + `, "duration": "1 hour"}`, "duration", "Invalid duration"},
		{"duration below 15m", `{` + arn + `, "duration": "14m59s"}`, "duration", "Duration out of range"},
		{"duration above 12h", `{` + arn + `, "duration": "12h1s"}`, "duration", "Duration out of range"},
		{"policy not JSON", `{` + arn + `, "policy": "{\"Version\": "}`, "policy", "Invalid policy"},
		{"policy not an object", `{` + arn + `, "policy": "[1, 2]"}`, "policy", "Invalid policy"},
		{"policy_arns not ARNs", `{` + arn + `, "policy_arns": ["arn:aws:iam::aws:policy/ok", "ReadOnlyAccess"]}`, "policy_arns", "Invalid policy ARN"},
		{"transitive key not a tag", `{` + arn + `, "tags": {"env": "prod"}, "transitive_tag_keys": ["team"]}`, "transitive_tag_keys", "Unknown transitive tag key"},
		{"transitive key without tags", `{` + arn + `, "transitive_tag_keys": ["team"]}`, "transitive_tag_keys", "Unknown transitive tag key"},
		{"too many tags", `{` + arn + `, "tags": {` + strings.Join(manyTags, ", ") + `}}`, "tags", "Too many tags"},
		{"empty tag key", `{` + arn + `, "tags": {"": "v"}}`, "tags", "Invalid tag"},
		{"mfa_token_command alone", `{` + arn + `, "mfa_token_command": "echo 123456"}`, "mfa_serial", "Missing MFA serial"},
		{"mfa_serial malformed", `{` + arn + `, "mfa_serial": "alice", "mfa_token_command": "echo 123456"}`, "mfa_serial", "Invalid MFA serial"},
		{"session_name with a space", `{` + arn + `, "session_name": "my session"}`, "session_name", "Invalid session name"},
		{"session_name too long", `{` + arn + `, "session_name": "` + strings.Repeat("s", 65) + `"}`, "session_name", "Invalid session name"},
		{"source_identity too short", `{` + arn + `, "source_identity": "a"}`, "source_identity", "Invalid source identity"},
		{"external_id with a space", `{` + arn + `, "external_id": "a b"}`, "external_id", "Invalid external ID"},
		{"unknown attribute", `{` + arn + `, "role": "x"}`, "", "Invalid config"},
		{"env name", `{` + arn + `, "mfa_serial": "arn:aws:iam::111122223333:mfa/alice", "mfa_token_command": "t", "env": {"1A": "v"}}`, "env", "Invalid environment variable name"},
		{"inherit_env reserved", `{` + arn + `, "mfa_serial": "arn:aws:iam::111122223333:mfa/alice", "mfa_token_command": "t", "inherit_env": ["PLUGIN_MIN_PORT"]}`, "inherit_env", "Reserved environment variable"},
		{"profile with brackets", `{` + arn + `, "profile": "[profile base]"}`, "profile", "Invalid profile name"},
		{"profile with a trailing space", `{` + arn + `, "profile": "base "}`, "profile", "Invalid profile name"},
	}
	refreshers := map[string]shared.Refresher{"in-process": sts.New(), "over gRPC": plugintest.Connect(t, sts.New())}
	for via, r := range refreshers {
		for _, c := range cases {
			t.Run(via+"/"+c.name, func(t *testing.T) {
				ds, err := sourcetest.Validate(context.Background(), r, shared.Config(c.cfg))
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if len(ds) != 1 {
					t.Fatalf("got %d diagnostics, want 1: %+v", len(ds), ds)
				}
				d := ds[0]
				if d.Severity != shared.SeverityError || d.Attribute != c.attr || d.Summary != c.summary {
					t.Errorf("got {%v %q %q}, want an error {%q %q}", d.Severity, d.Attribute, d.Summary, c.attr, c.summary)
				}
				if d.Detail == "" {
					t.Errorf("diagnostic %q has no Detail", d.Summary)
				}
			})
		}
		t.Run(via+"/valid", func(t *testing.T) {
			for _, cfg := range []string{fullConfig, `{` + arn + `}`, `{` + arn + `, "duration": "15m"}`, `{` + arn + `, "duration": "12h"}`, `{` + arn + `, "profile": "base profile"}`} {
				ds, err := sourcetest.Validate(context.Background(), r, shared.Config(cfg))
				if err != nil || len(ds) != 0 {
					t.Errorf("Validate(%s) = %+v, %v; want no diagnostics", cfg, ds, err)
				}
			}
		})
	}
}

// TestRefreshRefusesInvalidConfig checks that Refresh does not call AWS with a config
// that Validate refuses, and says why.
func TestRefreshRefusesInvalidConfig(t *testing.T) {
	_, err := sourcetest.Refresh(context.Background(), sts.New(), shared.RefreshRequest{
		Role:   "r",
		Config: shared.Config(`{"role_arn": "analytics", "duration": "5m"}`),
		Source: rootCreds(),
	})
	e := permanentError(t, err, "InvalidConfig")
	for _, want := range []string{"role_arn: Invalid role ARN", "duration: Duration out of range"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q does not mention %q", e.Message, want)
		}
	}
}

// permanentError fails the test unless err is a permanent *shared.Error with code.
func permanentError(t *testing.T, err error, code string) *shared.Error {
	t.Helper()
	return sharedError(t, err, code, false)
}

// retryableError fails the test unless err is a retryable *shared.Error with code.
func retryableError(t *testing.T, err error, code string) *shared.Error {
	t.Helper()
	return sharedError(t, err, code, true)
}

func sharedError(t *testing.T, err error, code string, retryable bool) *shared.Error {
	t.Helper()
	e, ok := err.(*shared.Error)
	if !ok {
		t.Fatalf("got error %T %v, want a *shared.Error", err, err)
	}
	if e.Code != code || e.Retryable != retryable {
		t.Fatalf("got %+v, want code %q, retryable %v", e, code, retryable)
	}
	if e.Message == "" {
		t.Errorf("error %q has no message", code)
	}
	return e
}

// TestValidateProfileWithSourceRole: a host of contract 1.1 says the role has a
// source_role, and a profile (or keyring key) beside it is an error at load, on the
// attribute, across the wire; without source_role, or from an older host, it is not.
func TestValidateProfileWithSourceRole(t *testing.T) {
	r := plugintest.Connect(t, sts.New())
	for _, tc := range []struct {
		cfg, attr string
		chained   bool
	}{
		{`{"role_arn": "arn:aws:iam::111122223333:role/r", "profile": "base"}`, "profile", true},
		{`{"role_arn": "arn:aws:iam::111122223333:role/r", "keyring": "base"}`, "keyring", true},
		{`{"role_arn": "arn:aws:iam::111122223333:role/r", "profile": "base"}`, "", false},
		{`{"role_arn": "arn:aws:iam::111122223333:role/r"}`, "", true},
	} {
		resp, err := r.Validate(context.Background(), &shared.ValidateRequest{Role: "app", Config: shared.Config(tc.cfg), HasSourceRole: tc.chained})
		if err != nil {
			t.Fatal(err)
		}
		if tc.attr == "" {
			if resp.Diagnostics.HasErrors() {
				t.Errorf("%s (source_role %v): %v", tc.cfg, tc.chained, resp.Diagnostics)
			}
			continue
		}
		if !resp.Diagnostics.HasErrors() || resp.Diagnostics[0].Attribute != tc.attr || !strings.Contains(resp.Diagnostics[0].Detail, "keep one of them") {
			t.Errorf("%s with a source_role: %+v", tc.cfg, resp.Diagnostics)
		}
	}
}
