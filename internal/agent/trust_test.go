//go:build unix

package agent

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/proctest"
)

// listenEnv makes the test binary an attacker's agent: it listens on the socket it
// names (mode 0777), prints "ready", and answers every request with credentials of
// its own, until it is killed.
const listenEnv = "BRS_AGENT_TEST_LISTEN"

// attackerKey is the access key ID of the attacker's credentials.
const attackerKey = "AKIAATTACKERATTACKER"

func fakeAgent(socket string) {
	ln, err := net.Listen("unix", socket)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	_ = os.Chmod(socket, 0o777)
	fmt.Println("ready")
	for {
		conn, err := ln.Accept()
		if err != nil {
			os.Exit(1)
		}
		var req Request
		_ = readMsg(conn, &req, false)
		_ = writeMsg(conn, Response{Credentials: &Credentials{AccessKeyID: attackerKey, SecretAccessKey: "attacker"}})
		conn.Close()
	}
}

// needRoot skips a test that needs a second user: the tests run as root in CI, and
// use uid 65534 (nobody) as the attacker.
func needRoot(t *testing.T) {
	t.Helper()
	needtool.Root(t, "the attacker runs as a second local user (uid 65534)")
}

// startAttacker runs the test binary as uid 65534, listening on a socket in a
// directory of its own, and returns the socket's path once it listens.
func startAttacker(t *testing.T) string {
	t.Helper()
	dir := proctest.SharedDir(t, true)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe := proctest.CopyExecutable(t, self, dir, "agent.test")
	socket := filepath.Join(dir, "a.sock")
	cmd := exec.Command(exe)
	cmd.Env = []string{listenEnv + "=" + socket}
	proctest.Unprivileged(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("the attacker's listener: %q", line)
	}
	return socket
}

// TestClientRefusesOtherUsersListener: another user's process listens at the agent's
// path in the victim's own 0700 directory (as after a swap of the directory or the
// socket won by the attacker). A raw client gets the attacker's credentials; Call
// checks the listener's uid and refuses, saying whose it is.
func TestClientRefusesOtherUsersListener(t *testing.T) {
	needRoot(t)
	theirs := startAttacker(t)
	socket := filepath.Join(shortDir(t), "run", "agent.sock")
	if err := EnsureDir(filepath.Dir(socket)); err != nil {
		t.Fatal(err)
	}
	// The socket keeps its listener when moved: the attacker's agent is now at the
	// victim's path, in a directory that passes every check of its own.
	if err := os.Rename(theirs, socket); err != nil {
		t.Fatal(err)
	}
	raw, err := callRaw(socket, Request{Op: OpCredentials})
	if err != nil || raw.Credentials == nil || raw.Credentials.AccessKeyID != attackerKey {
		t.Fatalf("the setup: a raw client got %+v, %v; want the attacker's credentials", raw, err)
	}
	resp, err := Call(context.Background(), socket, Request{Op: OpCredentials})
	if !errors.Is(err, ErrForeign) || !strings.Contains(err.Error(), "belongs to uid 65534") {
		t.Fatalf("Call to another user's listener: %+v, %v; want ErrForeign naming uid 65534", resp, err)
	}
}

// TestClientRefusesSwappableParent: the agent's own 0700 directory sits in a
// directory that the attacker's group may write to (not sticky). The attacker can
// rename the victim's directory and put one of theirs in its place, so Call refuses
// before connecting, and Listen refuses to serve there; with the sticky bit, as /tmp
// has, both are fine.
func TestClientRefusesSwappableParent(t *testing.T) {
	needRoot(t)
	base := shortDir(t)
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(base, "shared")
	if err := os.Mkdir(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	s := serve(t, shared) // shared/run/agent.sock, checked while safe
	if _, err := Call(context.Background(), s.cfg.Socket, Request{Op: OpInfo}); err != nil {
		t.Fatalf("before: %v", err)
	}
	// Now the attacker's group may write to the directory above the agent's.
	if err := os.Chown(shared, 0, 65534); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o770); err != nil {
		t.Fatal(err)
	}
	_, err := Call(context.Background(), s.cfg.Socket, Request{Op: OpInfo})
	if err == nil || !strings.Contains(err.Error(), "of mode 0770") || !strings.Contains(err.Error(), shared) {
		t.Fatalf("Call under a group-writable parent: %v; want a refusal naming %s and its mode", err, shared)
	}
	if _, err := Listen(Config{Socket: filepath.Join(shared, "other", "agent.sock")}); err == nil || !strings.Contains(err.Error(), "of mode 0770") {
		t.Errorf("Listen under a group-writable parent: %v; want a refusal", err)
	}
	// Sticky: members of the group can no longer rename what is not theirs.
	if err := os.Chmod(shared, 0o770|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if _, err := Call(context.Background(), s.cfg.Socket, Request{Op: OpInfo}); err != nil {
		t.Errorf("Call under a sticky group-writable parent: %v", err)
	}
	if err := os.Chmod(shared, 0o770); err != nil {
		t.Fatal(err)
	}
	// The refusal is not theoretical: the attacker, as uid 65534 of that group,
	// renames the victim's directory.
	mv := exec.Command("mv", filepath.Join(shared, "run"), filepath.Join(shared, "stolen"))
	proctest.Unprivileged(mv)
	if out, err := mv.CombinedOutput(); err != nil {
		t.Fatalf("the attacker could not rename the victim's directory, so the test shows nothing: %v\n%s", err, out)
	}
	if err := os.Rename(filepath.Join(shared, "stolen"), filepath.Join(shared, "run")); err != nil {
		t.Fatal(err)
	}
}

// TestClientRefusesParentOfOtherUser: a directory above the agent's that belongs to
// another user (not root) is refused: its owner can swap what is inside.
func TestClientRefusesParentOfOtherUser(t *testing.T) {
	needRoot(t)
	theirs := filepath.Join(shortDir(t), "theirs")
	if err := os.Mkdir(theirs, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(theirs, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(theirs, "run")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	err := CheckDir(dir)
	if err == nil || !strings.Contains(err.Error(), "belongs to uid 65534") {
		t.Errorf("CheckDir inside another user's directory: %v; want a refusal naming uid 65534", err)
	}
}
