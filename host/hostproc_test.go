package host_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/proctest"
)

// envHostConfig makes the test binary a host process instead of running tests: an
// application embedding the host, which loads the config file it names, fetches the
// credentials of every role, prints "ready" and the plugin process IDs, and waits to be
// killed.
const envHostConfig = "BRS_TEST_HOST_CONFIG"

func runHost(cfg string) int {
	h, err := host.Load(context.Background(), cfg)
	if err != nil {
		fmt.Println("load:", err)
		return 1
	}
	for _, r := range h.Roles() {
		if _, err := h.Credentials(context.Background(), r); err != nil {
			fmt.Println("credentials:", err)
			return 1
		}
	}
	var pids []string
	for _, p := range h.Plugins() {
		pids = append(pids, strconv.Itoa(p.PID))
	}
	fmt.Println("ready", strings.Join(pids, " "))
	select {}
}

// startHost runs the test binary as a host of the config src, with tmp as its TMPDIR,
// and returns it and its plugins' process IDs once they serve.
func startHost(t *testing.T, src, tmp string) (*exec.Cmd, []int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envHostConfig+"="+writeHCL(t, src), "TMPDIR="+tmp)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	fields := strings.Fields(line)
	if err != nil || len(fields) < 2 || fields[0] != "ready" {
		t.Fatalf("the host did not start: %q, %v", line, err)
	}
	var pids []int
	for _, f := range fields[1:] {
		pid, err := strconv.Atoi(f)
		if err != nil || pid == 0 {
			t.Fatalf("the host reported plugin PID %q", f)
		}
		pids = append(pids, pid)
	}
	return cmd, pids
}

// TestPluginsDieWithHost: an application embedding the host is SIGKILLed; its plugin
// processes are gone soon after. A plugin of this SDK exits when its stdin closes or
// at the parent-death signal, and removes its unix socket and socket directory
// first; a plugin that watches neither (as one built without this SDK), which only the
// parent-death signal ends, is gone too, even one that ignores SIGTERM: the host's
// parent-death signal is SIGKILL, which the SDK replaces with SIGTERM.
func TestPluginsDieWithHost(t *testing.T) {
	for _, tc := range []struct {
		name, args string
		clean      bool
	}{
		{"sdk", `[]`, true},
		{"bare", `["--ignore-host-pipe"]`, false},
		{"bare, ignores SIGTERM", `["--ignore-host-pipe", "--ignore-sigterm"]`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			host, pids := startHost(t, `plugin "test" {
  command = "{{test}}"
  args    = `+tc.args+`
}
role "a" {
  source = "test"
}
role "b" {
  source = "test"
}`, tmp)
			if len(pids) != 1 {
				t.Fatalf("plugin PIDs %v", pids)
			}
			killed := time.Now()
			if err := host.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = host.Wait()
			proctest.WaitGone(t, pids[0])
			t.Logf("the plugin was gone %v after the host's SIGKILL", time.Since(killed))
			left, err := os.ReadDir(tmp)
			if err != nil {
				t.Fatal(err)
			}
			if tc.clean && len(left) > 0 {
				t.Fatalf("left behind in TMPDIR: %v", left)
			}
		})
	}
}
