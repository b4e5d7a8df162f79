package process

import (
	"slices"
	"testing"

	"github.com/brs-go/brs/plugin/plugintest"
)

// TestSchemaMatchesConfig keeps Schema and the config struct in step: every attribute
// is a json tag and every json tag an attribute.
func TestSchemaMatchesConfig(t *testing.T) {
	plugintest.CheckConfig(t, New(), config{})
}

func TestEnvSorted(t *testing.T) {
	s := settings{config: config{Env: map[string]string{"B": "2", "A": "1 = one", "C": ""}}}
	if got, want := s.env(), []string{"A=1 = one", "B=2", "C="}; !slices.Equal(got, want) {
		t.Errorf("env() = %q, want %q", got, want)
	}
}
