package saml

import (
	"context"
	"testing"

	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestSchemaMatchesConfig keeps Schema and the config struct in step: every attribute
// is a json tag and every json tag an attribute.
func TestSchemaMatchesConfig(t *testing.T) {
	plugintest.CheckConfig(t, New(), config{})
}

// TestCommandMarked: saml_command is marked Command, so the host refuses values from
// env() and file() in it (a command line is readable by every local user); env is
// Sensitive, so its values are redacted.
func TestCommandMarked(t *testing.T) {
	resp, err := New().Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := resp.Schema.Attribute("saml_command"); !ok || !a.Command || !a.Required {
		t.Errorf("saml_command = %+v, want Command and Required", a)
	}
	if a, ok := resp.Schema.Attribute("env"); !ok || !a.Sensitive {
		t.Errorf("env = %+v, want Sensitive", a)
	}
}
