package login_test

import (
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/source/login"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestConformance runs the plugin author's conformance suite, with a session whose
// credentials have expired, so that a refresh calls the sign-in service: the hanging
// server.
func TestConformance(t *testing.T) {
	logs := &sourcetest.SyncBuffer{}
	log := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: logs})
	_, sess, dir, _ := signIn(t, time.Now().Add(-time.Minute))
	plugintest.Conformance(t, login.New(login.WithLogger(log)), plugintest.ConformanceOpts{
		Logs:        logs.String,
		ValidConfig: shared.Config(mustJSON(map[string]string{"login_session": sessionName, "cache_dir": dir})),
		InvalidConfigs: []shared.Config{
			shared.Config(`{"cache_dir": "/tmp"}`),
			shared.Config(`{"login_session": "arn:aws:iam::111122223333:user/alice", "cache_dir": "relative/dir"}`),
			shared.Config(`{"login_session": "two words"}`),
		},
		HangingConfig: func(string) shared.Config {
			return shared.Config(mustJSON(map[string]string{"login_session": sessionName, "cache_dir": dir}))
		},
		Secrets: sess.Secrets(),
	})
}
