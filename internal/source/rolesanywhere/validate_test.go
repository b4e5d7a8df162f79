package rolesanywhere_test

import (
	"context"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/rolesanywhere"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

func validAttrs() map[string]string {
	return map[string]string{
		"certificate": "/etc/brs/workload.pem", "private_key": "/etc/brs/workload.key",
		"trust_anchor_arn": exampleAnchor, "profile_arn": exampleProfile,
		"role_arn": "arn:aws:iam::111122223333:role/workload",
	}
}

// TestValidate: each bad value gets one diagnostic on its attribute; the region,
// endpoint and source_role of the role are checked too.
func TestValidate(t *testing.T) {
	r := rolesanywhere.New()
	for _, tc := range []struct {
		name             string
		attrs            map[string]string
		region, endpoint string
		sourceRole       bool
		attr, want       string
	}{
		{name: "valid", attrs: validAttrs()},
		{name: "https endpoint", attrs: validAttrs(), endpoint: "https://rolesanywhere.example.com"},
		{name: "loopback http", attrs: validAttrs(), endpoint: "http://127.0.0.1:8080"},
		{name: "relative key", attrs: with(validAttrs(), "private_key", "workload.key"), attr: "private_key", want: "absolute"},
		{name: "missing certificate", attrs: with(validAttrs(), "certificate", ""), attr: "certificate", want: "Set certificate"},
		{name: "profile as anchor", attrs: with(validAttrs(), "trust_anchor_arn", exampleProfile), attr: "trust_anchor_arn", want: "trust-anchor"},
		{name: "regions apart", attrs: with(validAttrs(), "profile_arn", strings.Replace(exampleProfile, "us-east-1", "eu-west-1", 1)), attr: "profile_arn", want: "same partition, account and region"},
		{name: "role region", attrs: validAttrs(), region: "eu-west-1"}, // the clients' region; CreateSession goes to the anchor's
		{name: "bad role", attrs: with(validAttrs(), "role_arn", "workload"), attr: "role_arn", want: "IAM role ARN"},
		{name: "duration", attrs: with(validAttrs(), "duration", "13h"), attr: "duration", want: "between 15m0s and 12h0m0s"},
		{name: "session name", attrs: with(validAttrs(), "session_name", "a b"), attr: "session_name", want: "2 to 64"},
		{name: "plain http", attrs: validAttrs(), endpoint: "http://rolesanywhere.example.com", want: "not a loopback address"},
		{name: "endpoint path", attrs: validAttrs(), endpoint: "https://example.com/sessions", want: "without a path"},
		{name: "source_role", attrs: validAttrs(), sourceRole: true, want: "takes no source_role"},
	} {
		resp, err := r.Validate(context.Background(), &shared.ValidateRequest{Role: "w", Config: sourcetest.ConfigJSON(t, tc.attrs),
			Region: tc.region, Endpoint: tc.endpoint, HasSourceRole: tc.sourceRole})
		if err != nil {
			t.Fatal(err)
		}
		ds := resp.Diagnostics
		if tc.want == "" {
			if ds.HasErrors() {
				t.Errorf("%s: %v", tc.name, ds)
			}
			continue
		}
		if len(ds) != 1 || ds[0].Attribute != tc.attr || !strings.Contains(ds[0].Detail, tc.want) {
			t.Errorf("%s: diagnostics %+v, want one on %q saying %q", tc.name, ds, tc.attr, tc.want)
		}
	}
}

// TestSchemaMatchesConfig: every attribute of the schema is decoded, and the
// passphrase command is marked Command (the host refuses env() and file() in it).
func TestSchemaMatchesConfig(t *testing.T) {
	resp, err := rolesanywhere.New().Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if err := shared.CheckSchema(resp.Schema); err != nil {
		t.Fatal(err)
	}
	a, ok := resp.Schema.Attribute("passphrase_command")
	if !ok || !a.Command {
		t.Errorf("passphrase_command = %+v, want Command", a)
	}
	attrs := map[string]string{}
	for _, a := range resp.Schema.Attributes {
		attrs[a.Name] = "x"
	}
	// Every attribute decodes: an unknown one would be a DecodeConfig error.
	ds, err := sourcetest.Validate(context.Background(), rolesanywhere.New(), sourcetest.ConfigJSON(t, attrs))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if strings.Contains(d.Summary, "nknown") {
			t.Errorf("schema attribute not in config: %+v", d)
		}
	}
}
