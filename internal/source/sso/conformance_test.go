package sso_test

import (
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/source/sso"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestConformance runs the plugin author's conformance suite.
func TestConformance(t *testing.T) {
	logs := &sourcetest.SyncBuffer{}
	log := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: logs})
	plugintest.Conformance(t, sso.New(sso.WithLogger(log)), plugintest.ConformanceOpts{
		Logs: logs.String,
		ValidConfig: shared.Config(`{"sso_session": "my-sso", "sso_start_url": "https://d-1234567890.awsapps.com/start", "sso_region": "us-east-1",
			"account_id": "111122223333", "role_name": "ReadOnly", "cache_dir": "` + t.TempDir() + `"}`),
		InvalidConfigs: []shared.Config{shared.Config(`{"sso_region": "us-east-1", "account_id": "111122223333", "role_name": "ReadOnly"}`)},
	})
}
