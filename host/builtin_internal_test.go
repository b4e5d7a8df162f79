package host

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBuiltinSourcesListed: the advice for an unknown source names every source brs
// ships (a cmd/brs-plugin-NAME directory), so a new built-in cannot be left out of it.
func TestBuiltinSourcesListed(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "cmd", "brs-plugin-*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cmd/brs-plugin-* directories (%v)", err)
	}
	var shipped []string
	for _, d := range dirs {
		shipped = append(shipped, strings.TrimPrefix(filepath.Base(d), "brs-plugin-"))
	}
	listed := slices.Sorted(slices.Values(builtinSources))
	if !slices.Equal(shipped, listed) {
		t.Errorf("builtinSources = %v, cmd/ ships %v", listed, shipped)
	}
}
