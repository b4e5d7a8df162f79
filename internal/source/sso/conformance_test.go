package sso_test

import (
	"testing"
	"time"

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
		// A valid cached token, so that the source calls the portal: the hanging server.
		HangingConfig: func(url string) shared.Config {
			dir := t.TempDir()
			writeCache(t, dir, session, cliToken(time.Now().Add(time.Hour)))
			return shared.Config(mustJSON(map[string]string{
				"sso_session": session, "sso_start_url": startURL, "sso_region": region,
				"account_id": account, "role_name": roleName, "cache_dir": dir, "oidc_endpoint": url,
			}))
		},
		Secrets: []string{accessToken, refreshToken, clientSecret},
	})
}
