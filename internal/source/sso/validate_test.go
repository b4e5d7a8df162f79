package sso_test

import (
	"context"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/sso"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

func TestSchema(t *testing.T) {
	s := plugintest.CheckSchema(t, sso.New())
	for _, name := range []string{"sso_region", "account_id", "role_name"} {
		if a, ok := s.Attribute(name); !ok || !a.Required {
			t.Errorf("%s = %+v, %v; want a required attribute", name, a, ok)
		}
	}
	for _, a := range s.Attributes {
		if a.Type != shared.TypeString {
			t.Errorf("%s has type %q, want string", a.Name, a.Type)
		}
	}
}

func TestValidate(t *testing.T) {
	const rest = `"sso_region": "us-east-1", "account_id": "111122223333", "role_name": "ReadOnly"`
	const sess = `"sso_session": "my-sso", "sso_start_url": "https://d-1234567890.awsapps.com/start", `
	cases := []struct {
		name, cfg, attr, summary string
	}{
		{"sso_session form", `{` + sess + rest + `, "cache_dir": "/var/cache/sso", "oidc_endpoint": "http://127.0.0.1:9999"}`, "", ""},
		{"legacy form", `{"start_url": "https://d-1234567890.awsapps.com/start", ` + rest + `, "cache_dir": "~/sso"}`, "", ""},
		{"neither form", `{` + rest + `}`, "", "Missing SSO session"},
		{"both forms", `{` + sess + `"start_url": "https://x.awsapps.com/start", ` + rest + `}`, "start_url", "Conflicting SSO forms"},
		{"sso_session without start URL", `{"sso_session": "my-sso", ` + rest + `}`, "sso_start_url", "Missing start URL"},
		{"sso_start_url without sso_session", `{"sso_start_url": "https://x.awsapps.com/start", ` + rest + `}`, "sso_session", "Missing sso_session"},
		{"legacy with sso_start_url", `{"start_url": "https://x.awsapps.com/start", "sso_start_url": "https://x.awsapps.com/start", ` + rest + `}`, "sso_start_url", "Conflicting SSO forms"},
		{"session name with a space", `{"sso_session": "my sso", "sso_start_url": "https://x.awsapps.com/start", ` + rest + `}`, "sso_session", "Invalid sso_session"},
		{"start URL without scheme", `{"sso_session": "s", "sso_start_url": "d-1234567890.awsapps.com/start", ` + rest + `}`, "sso_start_url", "Invalid start URL"},
		{"legacy start URL not a URL", `{"start_url": "start", ` + rest + `}`, "start_url", "Invalid start URL"},
		{"missing region", `{` + sess + `"account_id": "111122223333", "role_name": "ReadOnly"}`, "sso_region", "Missing SSO region"},
		{"bad region", `{` + sess + `"sso_region": "US East", "account_id": "111122223333", "role_name": "ReadOnly"}`, "sso_region", "Invalid SSO region"},
		{"missing account", `{` + sess + `"sso_region": "us-east-1", "role_name": "ReadOnly"}`, "account_id", "Missing account ID"},
		{"short account", `{` + sess + `"sso_region": "us-east-1", "account_id": "11112222333", "role_name": "ReadOnly"}`, "account_id", "Invalid account ID"},
		{"missing role", `{` + sess + `"sso_region": "us-east-1", "account_id": "111122223333"}`, "role_name", "Missing role name"},
		{"role with a slash", `{` + sess + `"sso_region": "us-east-1", "account_id": "111122223333", "role_name": "a/b"}`, "role_name", "Invalid role name"},
		{"relative cache_dir", `{` + sess + rest + `, "cache_dir": "cache"}`, "cache_dir", "Relative cache directory"},
		{"oidc_endpoint not a URL", `{` + sess + rest + `, "oidc_endpoint": "oidc.us-east-1.amazonaws.com"}`, "oidc_endpoint", "Invalid endpoint"},
		{"unknown attribute", `{` + sess + rest + `, "profile": "dev"}`, "", "Invalid config"},
	}
	refreshers := map[string]shared.Refresher{"in-process": sso.New(), "over gRPC": plugintest.Connect(t, sso.New())}
	for via, r := range refreshers {
		for _, c := range cases {
			t.Run(via+"/"+c.name, func(t *testing.T) {
				ds, err := sourcetest.Validate(context.Background(), r, shared.Config(c.cfg))
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if c.summary == "" {
					if len(ds) != 0 {
						t.Fatalf("diagnostics %+v for a valid config", ds)
					}
					return
				}
				if len(ds) != 1 {
					t.Fatalf("diagnostics %+v, want exactly one", ds)
				}
				d := ds[0]
				if d.Severity != shared.SeverityError || d.Attribute != c.attr || d.Summary != c.summary || d.Detail == "" {
					t.Errorf("diagnostic %+v, want an error %q on %q with a detail", d, c.summary, c.attr)
				}
			})
		}
	}
}

// TestRefreshRefusesInvalidConfig checks that Refresh, called without Validate,
// refuses a bad config with every problem named, before reading any file.
func TestRefreshRefusesInvalidConfig(t *testing.T) {
	_, err := sourcetest.Refresh(context.Background(), sso.New(), shared.RefreshRequest{Config: shared.Config(`{"account_id": "1"}`)})
	e := sharedError(t, err, "InvalidConfig", false)
	for _, want := range []string{"Missing SSO session", "sso_region", "account_id: Invalid account ID", "role_name"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q does not contain %q", e.Message, want)
		}
	}
}
