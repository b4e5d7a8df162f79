package iot

import (
	"testing"

	"github.com/brs-go/brs/plugin/plugintest"
)

// TestSchemaMatchesConfig keeps Schema and the config struct in step.
func TestSchemaMatchesConfig(t *testing.T) {
	plugintest.CheckConfig(t, New(), config{})
}
