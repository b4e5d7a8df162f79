package plugin_test

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/brs-go/brs/internal/proc"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/proctest"
	"github.com/brs-go/brs/plugin"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// TestHostEnvironment: the SDK reads the variables the host sets.
func TestHostEnvironment(t *testing.T) {
	if plugin.EnvHostPipe != proc.EnvHostPipe || plugin.EnvExecFD != proc.EnvExecFD {
		t.Fatalf("SDK %s, %s; host %s, %s", plugin.EnvHostPipe, plugin.EnvExecFD, proc.EnvHostPipe, proc.EnvExecFD)
	}
}

// TestServeLeavesWithHost plays a brs host by hand, without a parent-death signal (as
// on the platforms that have none): the plugin serves, cannot be read by another
// process of its user (a same-user `sleep` can), and once the host's end of its stdin
// closes it exits and removes its socket and socket directory.
func TestServeLeavesWithHost(t *testing.T) {
	bin := proctest.CopyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/internal/testutil/testplugin"), proctest.SharedDir(t, false), "testplugin")
	sockDir := filepath.Join(proctest.SharedDir(t, true), "plugin-dir")
	cmd := exec.Command(bin)
	cmd.Env = []string{
		shared.Handshake.MagicCookieKey + "=" + shared.Handshake.MagicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=1",
		goplugin.EnvUnixSocketDir + "=" + sockDir,
		proc.EnvHostPipe + "=stdin",
		"BRS_TEST_SECRET=hunter2",
	}
	proctest.Unprivileged(cmd)
	// The socket directory as a host makes it: the plugin user's own, mode 0700.
	mkdir := exec.Command("mkdir", "-m", "700", sockDir)
	proctest.Unprivileged(mkdir)
	if out, err := mkdir.CombinedOutput(); err != nil {
		t.Fatalf("mkdir: %v\n%s", err, out)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	exited := make(chan error, 1)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	parts := strings.Split(line, "|")
	if err != nil || len(parts) < 4 || parts[2] != "unix" || filepath.Dir(parts[3]) != sockDir {
		t.Fatalf("handshake %q, %v", line, err)
	}
	go func() {
		_, _ = io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	if _, err := os.Stat(parts[3]); err != nil {
		t.Fatalf("the socket is not there: %v", err)
	}

	if ok, msg := proctest.EnvironReadable(t, cmd.Process.Pid); ok {
		t.Errorf("another process of the plugin's user read its /proc/PID/environ")
	} else {
		t.Logf("reading the plugin's environ: %s", strings.TrimSpace(msg))
	}
	control := exec.Command("sleep", "60")
	proctest.Unprivileged(control)
	if err := control.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = control.Process.Kill(); _ = control.Wait() }()
	if ok, msg := proctest.EnvironReadable(t, control.Process.Pid); !ok {
		t.Fatalf("the check cannot read a dumpable process of the same user either: %s", msg)
	}

	if err := stdin.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the plugin exited with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the plugin still runs 10s after its host's end of stdin closed")
	}
	if _, err := os.Stat(sockDir); !os.IsNotExist(err) {
		left, _ := os.ReadDir(sockDir)
		t.Fatalf("the socket directory is still there (%v): %v", err, left)
	}
}
