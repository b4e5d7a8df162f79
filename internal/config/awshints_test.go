package config

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/brs-go/brs/shared"
)

// TestAWSNameHints: an AWS config file name written in a role block gets, at the
// attribute's name, "not expected here" and the name brs gives it and where it goes.
func TestAWSNameHints(t *testing.T) {
	want := map[string]string{
		"duration_seconds":        "config { duration = \"1h\" }",
		"role_session_name":       "config { session_name",
		"source_profile":          "source_role = \"NAME\"",
		"role_arn":                "config { role_arn",
		"external_id":             "config { external_id",
		"mfa_serial":              "config { mfa_serial",
		"credential_process":      "source = \"process\" with config { command",
		"credential_source":       "source = \"sts\" without source_role",
		"web_identity_token_file": "source = \"web_identity\" with config { token_file",
		"sso_start_url":           "source = \"sso\" with config { sso_start_url",
		"sso_session":             "config { sso_session",
		"sso_region":              "config { sso_region",
		"sso_account_id":          "config { account_id",
		"sso_role_name":           "config { role_name",
		"endpoint_url":            "brs's name is endpoint",
		"aws_access_key_id":       "never holds keys",
		"aws_secret_access_key":   "never holds keys",
		"aws_session_token":       "never holds keys",
		"duration":                "inside the role's config block",
		"session_name":            "inside the role's config block",
		"profile":                 "config { profile",
		"policy_arns":             "inside the role's config block",
		"mfa_token_command":       "inside the role's config block",
		"token_file":              "inside the role's config block",
		"command":                 "source = \"process\"",
	}
	if len(want) != len(roleHints) {
		t.Fatalf("%d hints tested, %d exist", len(want), len(roleHints))
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src := fmt.Sprintf("role \"a\" {\n  source = \"sts\"\n  %s = \"x\"\n}\n", name)
		_, diags := ParseSource([]byte(src), "hints.hcl")
		if len(diags) != 1 {
			t.Fatalf("%s: %d diagnostics, want 1: %v", name, len(diags), diags)
		}
		d := diags[0]
		if d.Summary != "Unsupported argument" || !strings.Contains(d.Detail, "not expected here") || !strings.Contains(d.Detail, want[name]) {
			t.Errorf("%s: %q: %q, want a hint holding %q", name, d.Summary, d.Detail, want[name])
		}
		if strings.Contains(d.Detail, "Did you mean") {
			t.Errorf("%s: %q holds HCL's guess as well as the hint", name, d.Detail)
		}
		if r := d.Subject; r.Filename != "hints.hcl" || r.Start.Line != 3 || r.Start.Column != 3 || r.End.Column != 3+len(name) {
			t.Errorf("%s: at %v, want hints.hcl:3,3-%d (the attribute's name)", name, r, 3+len(name))
		}
	}
	// A name that is no AWS name keeps HCL's words alone.
	_, diags := ParseSource([]byte("role \"a\" {\n  source = \"sts\"\n  regio = \"x\"\n}\n"), "hints.hcl")
	if len(diags) != 1 || !strings.HasSuffix(diags[0].Detail, `Did you mean "region"?`) {
		t.Errorf("regio: %v, want HCL's did you mean region", diags)
	}
}

// TestAWSNameHintsInConfig: in a config block, an AWS name gets the name the source's
// schema gives it, and an attribute of the role gets told to move out.
func TestAWSNameHintsInConfig(t *testing.T) {
	schema := shared.Schema{Attributes: append([]shared.Attribute{
		{Name: "account_id", Type: shared.TypeString},
		{Name: "role_name", Type: shared.TypeString},
		{Name: "token_file", Type: shared.TypeString},
		{Name: "command", Type: shared.TypeString},
		{Name: "sso_start_url", Type: shared.TypeString},
	}, testSchema.Attributes...)}
	cases := map[string]string{
		"duration_seconds":        "brs's name for duration_seconds is duration.",
		"role_session_name":       "brs's name for role_session_name is session_name.",
		"sso_account_id":          "brs's name for sso_account_id is account_id.",
		"sso_role_name":           "brs's name for sso_role_name is role_name.",
		"web_identity_token_file": "brs's name for web_identity_token_file is token_file.",
		"credential_process":      "brs's name for credential_process is command.",
		"start_url":               "brs's name for start_url is sso_start_url.",
		"region":                  "region is an attribute of the role, outside its config block.",
		"endpoint":                "endpoint is an attribute of the role",
		"endpoint_url":            "brs's name is endpoint, an attribute of the role",
		"source_role":             "source_role is an attribute of the role",
		"source_profile":          "source_role = \"NAME\" on the role",
		"aws_access_key_id":       "never holds keys",
		"aws_secret_access_key":   "never holds keys",
		"aws_session_token":       "never holds keys",
	}
	if len(cases) != len(configRename)+len(configHints) {
		t.Fatalf("%d hints tested, %d exist", len(cases), len(configRename)+len(configHints))
	}
	for name, hint := range cases {
		_, r := parseRole(t, fmt.Sprintf("role \"a\" {\n  source = \"s\"\n  config {\n    role_arn = \"x\"\n    %s = \"x\"\n  }\n}\n", name))
		_, diags := DecodeConfig(r, schema)
		if len(diags) != 1 || diags[0].Summary != "Unsupported argument" || !strings.Contains(diags[0].Detail, hint) {
			t.Errorf("%s: %v, want a hint holding %q", name, diags, hint)
			continue
		}
		if s := diags[0].Subject; s.Start.Line != 5 || s.Start.Column != 5 || s.End.Column != 5+len(name) {
			t.Errorf("%s: at %v, want line 5, columns 5-%d", name, s, 5+len(name))
		}
	}
	// Without the brs name in the schema, no rename is suggested.
	_, r := parseRole(t, "role \"a\" {\n  source = \"s\"\n  config {\n    role_arn = \"x\"\n    sso_account_id = \"1\"\n  }\n}\n")
	if _, diags := DecodeConfig(r, testSchema); len(diags) != 1 || strings.Contains(diags[0].Detail, "account_id is") {
		t.Errorf("sso_account_id without account_id in the schema: %v", diags)
	}
}
