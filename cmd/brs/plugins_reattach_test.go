package main

import (
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
)

// TestPluginsReattached: a plugin the host attached to ($BRS_REATTACH_PLUGINS) is shown
// as reattached with its pid and no pin applied, never as pinned, even when its
// plugin block's sha256 matches the binary it names.
func TestPluginsReattached(t *testing.T) {
	sum := func(string) (string, error) { return "abc", nil }
	docs := describePlugins([]host.PluginInfo{{Name: "dbg", Path: "/bin/false", SHA256: "abc", PID: 4242, Reattached: true}}, sum)
	if len(docs) != 1 || docs[0].Pinned != pinReattached {
		t.Fatalf("describePlugins = %+v; want pinned %q", docs, pinReattached)
	}
	var b strings.Builder
	if err := writePlugins(&b, docs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "pinned    reattached (pid 4242), pin not applied") || strings.Contains(b.String(), "✓") {
		t.Errorf("brs plugins printed:\n%s", b.String())
	}
}
