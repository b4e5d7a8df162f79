package sso_test

import (
	"testing"

	"github.com/brs-go/brs/internal/source/sso"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestConformance runs the plugin author's conformance suite.
func TestConformance(t *testing.T) {
	plugintest.Conformance(t, sso.New(), plugintest.ConformanceOpts{
		ValidConfig: shared.Config(`{"sso_session": "my-sso", "sso_start_url": "https://d-1234567890.awsapps.com/start", "sso_region": "us-east-1",
			"account_id": "111122223333", "role_name": "ReadOnly", "cache_dir": "` + t.TempDir() + `"}`),
		InvalidConfigs: []shared.Config{shared.Config(`{"sso_region": "us-east-1", "account_id": "111122223333", "role_name": "ReadOnly"}`)},
	})
}
