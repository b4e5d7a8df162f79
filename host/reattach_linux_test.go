package host_test

import (
	"bufio"
	"context"
	"encoding/json"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/proctest"
)

// TestReattachRefusesAnotherUsersPlugin: another user (nobody) runs a plugin in debug
// mode and hands out its $BRS_REATTACH_PLUGINS value; a host given it refuses to
// attach, both while the socket is that user's and once it is made to look like this
// user's (only the connection's peer then tells), so the role's sensitive config never
// reaches the other user's process.
func TestReattachRefusesAnotherUsersPlugin(t *testing.T) {
	needtool.Root(t, "the attacker's plugin runs as another user (nobody)")
	dir := proctest.SharedDir(t, true)
	bin := proctest.CopyExecutable(t, plugintestbin.Build(t, testPluginPkg), dir, "brs-plugin-test")
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "BRS_PLUGIN_DEBUG=1", "TMPDIR="+dir)
	proctest.Unprivileged(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var reattach string
	for lines := bufio.NewScanner(out); reattach == "" && lines.Scan(); {
		if _, v, ok := strings.Cut(lines.Text(), "BRS_REATTACH_PLUGINS='"); ok {
			reattach = strings.TrimSuffix(v, "'")
		}
	}
	var m map[string]struct{ Addr struct{ String string } }
	if err := json.Unmarshal([]byte(reattach), &m); err != nil || m["test"].Addr.String == "" {
		t.Fatalf("the attacker's plugin printed no reattach value: %q (%v)", reattach, err)
	}
	t.Setenv("BRS_REATTACH_PLUGINS", reattach)
	cfg := writeHCL(t, `
plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
  config {
    password = "victim-sensitive-value"
  }
}`)
	for _, step := range []struct{ name, want string }{
		{"socket owned by the attacker", "belongs to uid 65534"},
		{"socket chowned to this user", "runs as uid 65534"},
	} {
		if step.name == "socket chowned to this user" {
			if err := os.Chown(m["test"].Addr.String, os.Geteuid(), os.Getegid()); err != nil {
				t.Fatal(err)
			}
		}
		h, err := host.Load(context.Background(), cfg)
		if err == nil {
			h.Close()
			t.Fatalf("%s: Load attached to another user's plugin", step.name)
		}
		if !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), step.want) {
			t.Errorf("%s: Load: %v; want a refusal saying %q", step.name, err, step.want)
		}
	}
}
