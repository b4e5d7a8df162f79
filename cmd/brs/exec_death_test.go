//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/proctest"
)

// childrenOf returns the process IDs of pid's children.
func childrenOf(t *testing.T, pid int) []int {
	t.Helper()
	tasks, err := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// TestExecChildTerminatedWhenBrsDies: SIGKILL of the real brs exec. Its command, whose
// credentials endpoint died with brs, gets SIGTERM (it traps it and says so), and the
// plugin process ends too: nothing brs started outlives it.
func TestExecChildTerminatedWhenBrsDies(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", execRoles)
	script := "trap 'echo got-TERM; exit 42' TERM; echo ready $$; while :; do sleep 1 & wait $!; done"
	cmd, out, stderr := startBRS(t, "-c", path, "exec", "a", "--", "sh", "-c", script)
	line := readUntil(t, out, "ready ")
	child, err := strconv.Atoi(strings.TrimPrefix(line, "ready "))
	if err != nil {
		t.Fatal(err)
	}
	procs := childrenOf(t, cmd.Process.Pid)
	if len(procs) != 2 {
		t.Fatalf("brs has children %v, want the command and the plugin", procs)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(procs, child) {
		t.Fatalf("the command %d is not among brs's children %v; stderr:\n%s", child, procs, stderr.String())
	}
	for _, pid := range procs {
		proctest.WaitGone(t, pid)
	}
	if got := readUntil(t, out, "got-"); got != "got-TERM" {
		t.Fatalf("the command printed %q", got)
	}
	_ = cmd.Wait()
}

// TestNotDumpable: the command of brs exec, a process of the same user as brs, cannot
// read the base credentials in brs's /proc/PID/environ, nor in its plugin's; it still
// gets the role's credentials from the endpoint. Root may read any process's
// environ, so when the tests run as root, brs, its command and the reader run as the
// user nobody. The check is shown to work: the same reader reads the environ of the
// command itself (dumpable again, as everything brs executes is).
func TestNotDumpable(t *testing.T) {
	dir := proctest.SharedDir(t, false)
	brs := proctest.CopyExecutable(t, plugintestbin.Build(t, brsPkg), dir, "brs")
	proctest.CopyExecutable(t, plugintestbin.Build(t, testPluginPkg), dir, "testplugin")
	cfg := filepath.Join(dir, "brs.hcl")
	if err := os.WriteFile(cfg, []byte(strings.ReplaceAll(oneRole("a"), "{{test}}", filepath.Join(dir, "testplugin"))), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `cat /proc/$PPID/environ >/dev/null && echo brs-readable || echo brs-protected
curl -sS -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; echo
echo pid $$
read done || true`
	cmd := exec.Command(brs, "-c", cfg, "exec", "a", "--", "sh", "-c", script)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "AWS_ACCESS_KEY_ID=AKIABASE", "AWS_SECRET_ACCESS_KEY=base-secret-in-environ"}
	proctest.Unprivileged(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	out := bufio.NewReader(stdout)
	if got := readUntil(t, out, "brs-"); got != "brs-protected" {
		t.Errorf("the command: %s", got)
	}
	var creds struct{ AccessKeyId string }
	if line := readUntil(t, out, "{"); json.Unmarshal([]byte(line), &creds) != nil || !strings.HasPrefix(creds.AccessKeyId, "TESTPID") {
		t.Errorf("the command did not get the role's credentials from the endpoint: %s\nstderr:\n%s", line, stderr.String())
	}
	child, _ := strconv.Atoi(strings.TrimPrefix(readUntil(t, out, "pid "), "pid "))
	var plugin int
	for _, pid := range childrenOf(t, cmd.Process.Pid) {
		if pid != child {
			plugin = pid
		}
	}
	if plugin == 0 {
		t.Fatal("no plugin process")
	}
	for name, pid := range map[string]int{"brs": cmd.Process.Pid, "the plugin": plugin} {
		if ok, _ := proctest.EnvironReadable(t, pid); ok {
			t.Errorf("a process of the same user read the environ of %s", name)
		}
	}
	if ok, msg := proctest.EnvironReadable(t, child); !ok {
		t.Errorf("the reader cannot read the command's environ either (%s): the check proves nothing", msg)
	}
	_ = stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("brs exec: %v\n%s", err, stderr.String())
	}
}
