package rolesanywhere_test

import (
	"testing"

	"github.com/brs-go/brs/internal/source/rolesanywhere"
	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

const (
	exampleAnchor  = "arn:aws:rolesanywhere:us-east-1:111122223333:trust-anchor/0fd4a1a4-6c3e-4f2b-9c6e-0123456789ab"
	exampleProfile = "arn:aws:rolesanywhere:us-east-1:111122223333:profile/a6294488-81c4-4b6c-8e0a-fedcba987654"
)

// TestConformance runs the plugin author's conformance suite, with a real refresh
// against the fake.
func TestConformance(t *testing.T) {
	w := newWorld(t, fake.Config{})
	plugintest.Conformance(t, rolesanywhere.New(), plugintest.ConformanceOpts{
		ValidConfig: shared.Config(`{"certificate": "/nonexistent/workload.pem", "private_key": "/nonexistent/workload.key",
			"trust_anchor_arn": "` + exampleAnchor + `", "profile_arn": "` + exampleProfile + `", "role_arn": "arn:aws:iam::111122223333:role/workload"}`),
		InvalidConfigs: []shared.Config{
			shared.Config(`{"certificate": "relative.pem", "private_key": "/k", "trust_anchor_arn": "` + exampleAnchor + `", "profile_arn": "` + exampleProfile + `", "role_arn": "arn:aws:iam::111122223333:role/workload"}`),
			shared.Config(`{"certificate": "/c", "private_key": "/k", "trust_anchor_arn": "arn:aws:iam::111122223333:role/x", "profile_arn": "` + exampleProfile + `", "role_arn": "arn:aws:iam::111122223333:role/workload"}`),
		},
		Refresh: &shared.RefreshRequest{Role: "workload", Config: sourcetest.ConfigJSON(t, w.attrs()), Endpoint: w.f.URL},
		// A workload whose files load, so that the source posts to the hanging server.
		HangingConfig: func(string) shared.Config { return sourcetest.ConfigJSON(t, w.attrs()) },
	})
}
