package webidentity_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/source/webidentity"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestConformance runs the plugin author's conformance suite.
func TestConformance(t *testing.T) {
	logs := &sourcetest.SyncBuffer{}
	log := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: logs})
	plugintest.Conformance(t, webidentity.New(webidentity.WithLogger(log)), plugintest.ConformanceOpts{
		Logs:           logs.String,
		ValidConfig:    shared.Config(`{"role_arn": "arn:aws:iam::111122223333:role/r", "token_file": "/nonexistent/brs-conformance-token"}`),
		InvalidConfigs: []shared.Config{shared.Config(`{"role_arn": "pods", "token_file": "/var/run/token"}`)},
		// A token the source reads, so that it calls STS at the hanging endpoint.
		HangingConfig: func(string) shared.Config {
			token := filepath.Join(t.TempDir(), "token")
			if err := os.WriteFile(token, []byte("eyJhbGciOiJub25lIn0.eyJzdWIiOiJjb25mb3JtYW5jZSJ9.c2ln"), 0o600); err != nil {
				t.Fatal(err)
			}
			return shared.Config(`{"role_arn": "arn:aws:iam::111122223333:role/r", "token_file": "` + token + `"}`)
		},
	})
}
