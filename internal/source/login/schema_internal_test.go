package login

import (
	"testing"

	"github.com/brs-go/brs/plugin/plugintest"
)

// TestSchemaMatchesConfig keeps Schema and the config struct in step: every attribute
// is a json tag and every json tag an attribute.
func TestSchemaMatchesConfig(t *testing.T) {
	plugintest.CheckConfig(t, New(), config{})
}
