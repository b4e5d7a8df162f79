//go:build unix

package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestFastClientEndToEnd runs brs-credential-process as a credential_process line
// does, next to brs, against a real agent:
//   - with no agent it hands the call to brs, which starts one;
//   - with the agent warm it answers alone (brs is moved away: it still answers),
//     with the very bytes `brs credential-process` prints;
//   - what it cannot answer (an unknown role, BRS_AGENT=off) goes to brs: without brs
//     next to it, it says so and prints no credentials; with brs, brs's error and
//     brs's in-process credentials;
//   - a socket directory others can write to is refused before any request, as brs
//     refuses it.
func TestFastClientEndToEnd(t *testing.T) {
	h := newAgentHarness(t)
	bin := t.TempDir()
	brs := copyExecutable(t, h.brs, bin, "brs")
	client := copyExecutable(t, plugintestbin.Build(t, fastClientPkg), bin, "brs-credential-process")
	cfg := writeHCL(t, h.work, "brs.hcl", testRoles)
	run := func(env []string, args ...string) result {
		t.Helper()
		return h.runBin(client, nil, env, args...)
	}

	// No agent: brs starts it.
	if pid := h.agentPID(); pid != 0 {
		t.Fatalf("an agent (pid %d) runs before the first call", pid)
	}
	first := run(nil, "-c", cfg, "a")
	key := akid(t, first)
	if h.agentPID() == 0 {
		t.Fatalf("no agent after the first call; stderr:\n%s", first.stderr)
	}
	viaBrs := h.run(nil, "-c", cfg, "credential-process", "a")
	if akid(t, viaBrs) != key || viaBrs.stdout != first.stdout {
		t.Fatalf("brs printed\n%s\nthe client\n%s", viaBrs.stdout, first.stdout)
	}

	// Warm: the client answers without brs.
	moved := filepath.Join(t.TempDir(), "brs")
	if err := os.Rename(brs, moved); err != nil {
		t.Fatal(err)
	}
	alone := run(nil, "-c", cfg, "a")
	if alone.code != 0 || alone.stdout != viaBrs.stdout || alone.stderr != "" {
		t.Fatalf("warm agent, no brs: exit %d\nstdout:\n%s\nstderr:\n%s\nwant brs's stdout:\n%s", alone.code, alone.stdout, alone.stderr, viaBrs.stdout)
	}
	// Flags after the role's name are brs's too: global flags before it.
	if r := run(nil, "--log-level", "error", "-c", cfg, "b"); r.code != 0 || akidOf(r.stdout) == "" {
		t.Fatalf("role b, warm agent, no brs: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// What the agent answers with an error, and what brs runs in-process, go to brs:
	// without it, no credentials and a line that says why.
	for _, c := range []struct {
		name string
		env  []string
		args []string
	}{
		{"unknown role", nil, []string{"-c", cfg, "nope"}},
		{"BRS_AGENT=off", []string{"BRS_AGENT=off"}, []string{"-c", cfg, "a"}},
		{"--no-agent", nil, []string{"--no-agent", "-c", cfg, "a"}},
	} {
		r := run(c.env, c.args...)
		if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "brs-credential-process: cannot run brs") {
			t.Errorf("%s, no brs: exit %d\nstdout:\n%s\nstderr:\n%s", c.name, r.code, r.stdout, r.stderr)
		}
	}
	// A socket directory others can write to: refused before any request.
	sockDir := filepath.Dir(h.socket)
	if err := os.Chmod(sockDir, 0o777); err != nil {
		t.Fatal(err)
	}
	r := run(nil, "-c", cfg, "a")
	if err := os.Chmod(sockDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if r.code != 1 || r.stdout != "" {
		t.Errorf("socket directory 0777: the client answered: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	// With brs back: its error, and its in-process credentials.
	if err := os.Rename(moved, brs); err != nil {
		t.Fatal(err)
	}
	got, want := run(nil, "-c", cfg, "nope"), h.run(nil, "-c", cfg, "credential-process", "nope")
	if got.code != 1 || got != want {
		t.Errorf("unknown role: the client gave %+v, brs %+v", got, want)
	}
	off := run([]string{"BRS_AGENT=off"}, "-c", cfg, "a")
	if k := akid(t, off); k == key {
		t.Errorf("BRS_AGENT=off got the agent's credentials %s, want the in-process ones", k)
	}
}

// TestFastClientSignal: a SIGTERM while the client waits for the agent ends it as
// Go's default does, killed by the signal (the client installs no handler, which
// would cost every call a thread), without output; the agent is not harmed: the
// refresh the client started finishes, and the next call gets its credentials.
func TestFastClientSignal(t *testing.T) {
	h := newAgentHarness(t)
	bin := t.TempDir()
	copyExecutable(t, h.brs, bin, "brs")
	client := copyExecutable(t, plugintestbin.Build(t, fastClientPkg), bin, "brs-credential-process")
	gatePath := filepath.Join(filepath.Dir(h.socket), "..", "gate.sock")
	ln, err := net.Listen("unix", gatePath)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := writeHCL(t, h.work, "brs.hcl", testRoles+fmt.Sprintf(`
role "gated" {
  source = "test"
  config {
    refresh_gate = %q
  }
}
`, gatePath))
	akid(t, h.run(nil, "-c", cfg, "credential-process", "a")) // the agent is warm

	cmd := exec.Command(client, "-c", cfg, "gated")
	cmd.Dir, cmd.Env = h.work, h.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	var gate net.Conn
	select {
	case gate = <-accepted: // the agent's plugin is refreshing for the client
	case <-time.After(time.Minute):
		t.Fatal("the agent's plugin did not start the gated refresh")
	}
	defer gate.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("after SIGTERM: %v (%v), want killed by SIGTERM; stderr:\n%s", err, cmd.ProcessState, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("a client killed while waiting printed %q", stdout.String())
	}
	if _, err := gate.Write([]byte{'g'}); err != nil { // let the refresh finish
		t.Fatal(err)
	}
	if r := h.run(nil, "-c", cfg, "credential-process", "gated"); r.code != 0 || akidOf(r.stdout) == "" {
		t.Fatalf("after the client was killed, the agent answered: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
