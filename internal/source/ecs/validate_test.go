package ecs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/ecs"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

func TestSchema(t *testing.T) {
	s := plugintest.CheckSchema(t, ecs.New())
	want := []string{"uri", "relative_uri", "token", "token_file", "timeout"}
	if len(s.Attributes) != len(want) {
		t.Errorf("schema has %d attributes, want %v", len(s.Attributes), want)
	}
	for _, name := range want {
		a, ok := s.Attribute(name)
		if !ok {
			t.Errorf("schema lacks %s", name)
			continue
		}
		wantType := shared.TypeString
		if name == "timeout" {
			wantType = shared.TypeDuration
		}
		if a.Type != wantType || a.Required {
			t.Errorf("%s = %+v; want an optional %s", name, a, wantType)
		}
		if a.Sensitive != (name == "token") {
			t.Errorf("%s: Sensitive = %v, want %v", name, a.Sensitive, name == "token")
		}
	}
}

// secretToken is a token value no message may show.
const secretToken = "Bearer s3cr3t-container-token-0123456789"

func TestValidate(t *testing.T) {
	cases := []struct {
		name    string
		attrs   map[string]string
		attr    string
		summary string
	}{
		{"no endpoint", map[string]string{}, "uri", "Missing endpoint"},
		{"empty endpoints", map[string]string{"uri": "", "relative_uri": ""}, "uri", "Missing endpoint"},
		{"both endpoints", map[string]string{"uri": "http://127.0.0.1/x", "relative_uri": "/x"}, "relative_uri", "Conflicting endpoints"},
		{"not a URL", map[string]string{"uri": "127.0.0.1:8080/creds"}, "uri", "Invalid URI"},
		{"relative URL", map[string]string{"uri": "/v2/credentials"}, "uri", "Invalid URI"},
		{"ftp", map[string]string{"uri": "ftp://127.0.0.1/creds"}, "uri", "Invalid URI"},
		{"unparsable", map[string]string{"uri": "http://[::1"}, "uri", "Invalid URI"},
		{"user info", map[string]string{"uri": "https://user:hunter2secret@example.com/creds"}, "uri", "Credentials in URI"},
		{"http to a private address", map[string]string{"uri": "http://10.0.0.1/creds"}, "uri", "Host not allowed"},
		{"http to IMDS", map[string]string{"uri": "http://169.254.169.254/latest"}, "uri", "Host not allowed"},
		{"http to another agent address", map[string]string{"uri": "http://169.254.170.3/creds"}, "uri", "Host not allowed"},
		{"http to a host name", map[string]string{"uri": "http://example.com/creds"}, "uri", "Host not allowed"},
		{"http to a name like localhost", map[string]string{"uri": "http://localhost.example.com/creds"}, "uri", "Host not allowed"},
		{"http to a public IPv6 address", map[string]string{"uri": "http://[2001:db8::1]/creds"}, "uri", "Host not allowed"},
		{"http to a zoned address", map[string]string{"uri": "http://[fe80::1%25eth0]/creds"}, "uri", "Host not allowed"},
		{"relative_uri without a slash", map[string]string{"relative_uri": "v2/credentials/x"}, "relative_uri", "Invalid relative URI"},
		{"relative_uri escaping the host", map[string]string{"relative_uri": "@evil.example.com/x"}, "relative_uri", "Invalid relative URI"},
		{"token with a line break", map[string]string{"uri": "http://127.0.0.1/x", "token": secretToken + "\r\nX-Evil: 1"}, "token", "Invalid token"},
		{"token and token_file", map[string]string{"uri": "http://127.0.0.1/x", "token": secretToken, "token_file": "/run/token"}, "token_file", "Conflicting tokens"},
		{"relative token_file", map[string]string{"uri": "http://127.0.0.1/x", "token_file": "run/token"}, "token_file", "Relative token file"},
		{"timeout unparsable", map[string]string{"uri": "http://127.0.0.1/x", "timeout": "5"}, "timeout", "Invalid duration"},
		{"timeout too short", map[string]string{"uri": "http://127.0.0.1/x", "timeout": "99ms"}, "timeout", "Duration out of range"},
		{"timeout too long", map[string]string{"uri": "http://127.0.0.1/x", "timeout": "5m1s"}, "timeout", "Duration out of range"},
		{"unknown attribute", map[string]string{"uri": "http://127.0.0.1/x", "full_uri": "x"}, "", "Invalid config"},
	}
	valid := []map[string]string{
		{"uri": "http://127.0.0.1:8080/v1/credentials"},
		{"uri": "http://127.255.0.9/creds"},
		{"uri": "http://[::1]:9911/creds"},
		{"uri": "http://localhost:9911/creds"},
		{"uri": "http://LOCALHOST./creds"},
		{"uri": "http://169.254.170.2/v2/credentials/abc"},
		{"uri": "http://169.254.170.23/v1/credentials", "token_file": "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token"},
		{"uri": "http://[fd00:ec2::23]/v1/credentials"},
		{"uri": "https://creds.example.com/v1/credentials", "token": secretToken},
		{"uri": "HTTPS://10.0.0.1:8443/creds"},
		{"relative_uri": "/v2/credentials/0c8c6a9a-2c31-4a0b-9f8d-1a2b3c4d5e6f"},
		{"relative_uri": "/v2/credentials/x", "uri": "", "token": "", "token_file": ""},
		{"uri": "http://127.0.0.1/x", "timeout": "100ms"},
		{"uri": "http://127.0.0.1/x", "timeout": "5m"},
	}
	refreshers := map[string]shared.Refresher{"in-process": ecs.New(), "over gRPC": plugintest.Connect(t, ecs.New())}
	for via, r := range refreshers {
		for _, c := range cases {
			t.Run(via+"/"+c.name, func(t *testing.T) {
				ds, err := sourcetest.Validate(context.Background(), r, sourcetest.ConfigJSON(t, c.attrs))
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
				if strings.Contains(d.Detail, "s3cr3t") || strings.Contains(d.Detail, "hunter2") {
					t.Errorf("diagnostic %q quotes a secret", d.Detail)
				}
			})
		}
		t.Run(via+"/valid", func(t *testing.T) {
			for _, attrs := range valid {
				ds, err := sourcetest.Validate(context.Background(), r, sourcetest.ConfigJSON(t, attrs))
				if err != nil || len(ds) != 0 {
					t.Errorf("Validate(%v) = %+v, %v; want no diagnostics", attrs, ds, err)
				}
			}
		})
	}
}

// TestRefreshRefusesInvalidConfig checks that Refresh sends nothing for a config that
// Validate refuses, and says why.
func TestRefreshRefusesInvalidConfig(t *testing.T) {
	f := startFakeAgent(t, "")
	_, err := refresh(t, ecs.New(), map[string]string{"uri": f.url(), "timeout": "forever"})
	sourcetest.WantError(t, err, "InvalidConfig", false, "timeout")
	if n := len(f.authorizations()); n != 0 {
		t.Errorf("the agent got %d requests, want none", n)
	}
}
