package process_test

import (
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/source/process"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestConformance runs the plugin author's conformance suite: the valid command
// sleeps, so the cancel check sees that a refresh stops the command when its context
// is done; the credentials check runs a command that prints credentials.
func TestConformance(t *testing.T) {
	helper := script(t, "echo '"+credentialsJSON(t, time.Now().Add(time.Hour))+"'")
	logs := &sourcetest.SyncBuffer{}
	log := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: logs})
	plugintest.Conformance(t, process.New(process.WithLogger(log)), plugintest.ConformanceOpts{
		Logs:           logs.String,
		ValidConfig:    shared.Config(`{"command": "exec sleep 60", "env": {"TOKEN": "process-env-secret-value"}}`),
		InvalidConfigs: []shared.Config{shared.Config(`{"command": "x", "timeout": "0s"}`), shared.Config(`{}`)},
		Refresh:        &shared.RefreshRequest{Role: "conformance", Config: shared.Config(`{"command": "` + helper + `"}`)},
		Secrets:        []string{"process-env-secret-value"},
		// The valid command sleeps; no server needed.
		HangingConfig: func(string) shared.Config {
			return shared.Config(`{"command": "exec sleep 60", "env": {"TOKEN": "process-env-secret-value"}}`)
		},
	})
}
