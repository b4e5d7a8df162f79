package host_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestPluginLogName: a plugin's own log lines and go-plugin's lines about it appear
// under brs.plugin.SOURCE, without the binary's name repeated after it
// (brs.plugin.test.testplugin).
func TestPluginLogName(t *testing.T) {
	var logs logBuffer
	h := load(t, `
plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  config {
    log_lines = 1
  }
}
`, host.WithLogger(newLogger(&logs)))
	if _, err := h.Credentials(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "line 1 of 1", 1)
	binary := filepath.Base(plugintestbin.Build(t, testPluginPkg))
	out := logs.String()
	if strings.Contains(out, "."+binary) {
		t.Errorf("a logger name repeats the binary's name %q:\n%s", binary, out)
	}
	if !strings.Contains(out, "[INFO]  brs.plugin.test: line 1 of 1") {
		t.Errorf("the plugin's log line is not under brs.plugin.test:\n%s", out)
	}
	if !strings.Contains(out, "brs.plugin.test.stdio:") && !strings.Contains(out, "brs.plugin.test: using plugin") {
		t.Errorf("go-plugin's own lines lost their names:\n%s", out)
	}
}
