package ecs_test

import (
	"testing"

	"github.com/brs-go/brs/internal/source/ecs"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestConformance runs the plugin author's conformance suite. The token is the
// sensitive attribute it checks is never echoed.
func TestConformance(t *testing.T) {
	plugintest.Conformance(t, ecs.New(), plugintest.ConformanceOpts{
		ValidConfig:    shared.Config(`{"uri": "http://127.0.0.1:1/creds", "token": "` + secretToken + `"}`),
		InvalidConfigs: []shared.Config{shared.Config(`{"uri": "ftp://127.0.0.1/creds"}`), shared.Config(`{}`)},
		Secrets:        []string{secretToken},
		HangingConfig: func(url string) shared.Config {
			return shared.Config(`{"uri": "` + url + `/creds", "token": "` + secretToken + `"}`)
		},
	})
}
