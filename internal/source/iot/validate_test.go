package iot_test

import (
	"context"
	"testing"

	"github.com/brs-go/brs/internal/source/iot"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

func TestSchema(t *testing.T) {
	s := plugintest.CheckSchema(t, iot.New())
	required := map[string]bool{"endpoint": true, "role_alias": true, "thing_name": false, "cert": true, "key": true, "ca": false, "timeout": false}
	if len(s.Attributes) != len(required) {
		t.Errorf("schema has %d attributes, want %d", len(s.Attributes), len(required))
	}
	for name, req := range required {
		a, ok := s.Attribute(name)
		wantType := shared.TypeString
		if name == "timeout" {
			wantType = shared.TypeDuration
		}
		if !ok || a.Type != wantType || a.Required != req || a.Sensitive {
			t.Errorf("%s = %+v, %v; want a %s, required %v, not sensitive (paths are not secrets)", name, a, ok, wantType, req)
		}
	}
}

func TestValidate(t *testing.T) {
	valid := map[string]string{
		"endpoint":   "c2sbrzohfnbcau.credentials.iot.us-east-1.amazonaws.com",
		"role_alias": "brs-device-role",
		"thing_name": "sensor:42_a-b",
		"cert":       "/etc/aws-iot/device.pem.crt",
		"key":        "/etc/aws-iot/device.pem.key",
		"ca":         "/etc/aws-iot/AmazonRootCA1.pem",
		"timeout":    "10s",
	}
	cases := []struct {
		name    string
		changes []string
		attr    string
		summary string
	}{
		{"no endpoint", []string{"endpoint", ""}, "endpoint", "Missing endpoint"},
		{"http endpoint", []string{"endpoint", "http://c2s.credentials.iot.us-east-1.amazonaws.com"}, "endpoint", "Endpoint not https"},
		{"endpoint with a path", []string{"endpoint", "https://c2s.credentials.iot.us-east-1.amazonaws.com/role-aliases/x/credentials"}, "endpoint", "Invalid endpoint"},
		{"endpoint with a query", []string{"endpoint", "https://c2s.credentials.iot.us-east-1.amazonaws.com?x=1"}, "endpoint", "Invalid endpoint"},
		{"endpoint with user info", []string{"endpoint", "https://u:p@c2s.credentials.iot.us-east-1.amazonaws.com"}, "endpoint", "Invalid endpoint"},
		{"endpoint unparsable", []string{"endpoint", "https://[::1"}, "endpoint", "Invalid endpoint"},
		{"data endpoint", []string{"endpoint", "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com"}, "endpoint", "Data endpoint, not credentials endpoint"},
		{"legacy data endpoint", []string{"endpoint", "https://a1b2c3d4e5f6g7.iot.eu-west-1.amazonaws.com:8443"}, "endpoint", "Data endpoint, not credentials endpoint"},
		{"no role alias", []string{"role_alias", ""}, "role_alias", "Missing role alias"},
		{"role alias with a slash", []string{"role_alias", "a/b"}, "role_alias", "Invalid role alias"},
		{"role alias too long", []string{"role_alias", string(make([]byte, 129))}, "role_alias", "Invalid role alias"},
		{"thing name with a space", []string{"thing_name", "my thing"}, "thing_name", "Invalid thing name"},
		{"no cert", []string{"cert", ""}, "cert", "Missing cert"},
		{"no key", []string{"key", ""}, "key", "Missing key"},
		{"relative cert", []string{"cert", "certs/device.pem"}, "cert", "Relative path"},
		{"relative key", []string{"key", "device.key"}, "key", "Relative path"},
		{"relative ca", []string{"ca", "./ca.pem"}, "ca", "Relative path"},
		{"timeout unparsable", []string{"timeout", "ten seconds"}, "timeout", "Invalid duration"},
		{"timeout too long", []string{"timeout", "6m"}, "timeout", "Duration out of range"},
		{"unknown attribute", []string{"certificate", "/x"}, "", "Invalid config"},
	}
	refreshers := map[string]shared.Refresher{"in-process": iot.New(), "over gRPC": plugintest.Connect(t, iot.New())}
	for via, r := range refreshers {
		for _, c := range cases {
			t.Run(via+"/"+c.name, func(t *testing.T) {
				ds, err := sourcetest.Validate(context.Background(), r, sourcetest.ConfigJSON(t, with(valid, c.changes...)))
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if len(ds) != 1 {
					t.Fatalf("got %d diagnostics, want 1: %+v", len(ds), ds)
				}
				d := ds[0]
				if d.Severity != shared.SeverityError || d.Attribute != c.attr || d.Summary != c.summary || d.Detail == "" {
					t.Errorf("got {%v %q %q %q}, want an error {%q %q} with a detail", d.Severity, d.Attribute, d.Summary, d.Detail, c.attr, c.summary)
				}
			})
		}
		t.Run(via+"/valid", func(t *testing.T) {
			for _, changes := range [][]string{
				nil,
				{"thing_name", "", "ca", "", "timeout", ""},
				{"endpoint", "https://c2s.credentials.iot.us-east-1.amazonaws.com/"},
				{"endpoint", "c2s.credentials.iot.cn-north-1.amazonaws.com.cn:443"},
				{"endpoint", "https://127.0.0.1:8443"},
				{"role_alias", "Alias_with=all,the@chars-1"},
			} {
				ds, err := sourcetest.Validate(context.Background(), r, sourcetest.ConfigJSON(t, with(valid, changes...)))
				if err != nil || len(ds) != 0 {
					t.Errorf("Validate(%v) = %+v, %v; want no diagnostics", changes, ds, err)
				}
			}
		})
	}
}

// TestRefreshRefusesInvalidConfig checks that Refresh reads no file and sends nothing
// for a config that Validate refuses, and says why.
func TestRefreshRefusesInvalidConfig(t *testing.T) {
	d := newDevice(t)
	_, err := refresh(t, iot.New(), with(d.attrs(), "role_alias", "a/b"))
	sourcetest.WantError(t, err, "InvalidConfig", false, "role_alias")
	if got := d.f.requests(); len(got) != 0 {
		t.Errorf("the provider got %+v, want no request", got)
	}
}
