package pluginrpc

import (
	"bufio"
	"context"
	"fmt"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/brs-go/brs/internal/testutil/proctest"
)

// envPeerListen makes the test binary a listener that another user runs: it listens
// on the unix socket the variable names (mode 0777, as an attacker's plugin.DebugServe
// could leave it), prints "ready", and when its stdin closes prints how many
// connections it accepted and how many bytes it read from them.
const envPeerListen = "BRS_TEST_PEER_LISTEN"

func TestMain(m *testing.M) {
	if path := os.Getenv(envPeerListen); path != "" {
		os.Exit(peerListen(path))
	}
	os.Exit(m.Run())
}

func peerListen(path string) int {
	ln, err := net.Listen("unix", path)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	if err := os.Chmod(path, 0o777); err != nil {
		fmt.Println(err)
		return 1
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	// Every connection made so far waits in the backlog: take them all without
	// blocking, and read what each was sent (its writer has closed it).
	raw, err := ln.(*net.UnixListener).SyscallConn()
	if err != nil {
		fmt.Println(err)
		return 1
	}
	var conns, bytes int
	_ = raw.Control(func(lfd uintptr) {
		for {
			fd, _, err := unix.Accept4(int(lfd), unix.SOCK_CLOEXEC)
			if err != nil {
				return
			}
			conns++
			f := os.NewFile(uintptr(fd), "conn")
			n, _ := io.Copy(io.Discard, f)
			bytes += int(n)
			_ = f.Close()
		}
	})
	fmt.Printf("conns %d bytes %d\n", conns, bytes)
	return 0
}

// startOtherUserListener runs the listener of envPeerListen as another user (nobody)
// and returns the socket's path, the listener's pid, and a function that stops it and
// returns its final report.
func startOtherUserListener(t *testing.T) (path string, pid int, report func() string) {
	t.Helper()
	needtool.Root(t, "the attacker's listener runs as another user (nobody)")
	dir := proctest.SharedDir(t, true)
	bin := proctest.CopyExecutable(t, os.Args[0], dir, "attacker")
	path = filepath.Join(dir, "plugin.sock")
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), envPeerListen+"="+path)
	proctest.Unprivileged(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	stopped := false
	stop := func() string {
		if stopped {
			return ""
		}
		stopped = true
		_ = stdin.Close()
		var last string
		for lines.Scan() {
			last = lines.Text()
		}
		_ = cmd.Wait()
		return last
	}
	t.Cleanup(func() { stop() })
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("the attacker's listener did not start: %q", lines.Text())
	}
	return path, cmd.Process.Pid, stop
}

// TestAttachRefusesOtherUsersSocket: a debug plugin's socket that another user owns
// is refused before the host connects to it.
func TestAttachRefusesOtherUsersSocket(t *testing.T) {
	path, pid, report := startOtherUserListener(t)
	r := Reattach{Protocol: "grpc", ProtocolVersion: ProtocolVersion, Pid: pid, Addr: ReattachAddr{Network: "unix", String: path}}
	_, err := r.Attach(context.Background())
	if err == nil || !strings.Contains(err.Error(), "belongs to uid 65534") {
		t.Fatalf("Attach to another user's socket = %v, want a refusal naming its owner", err)
	}
	if got := report(); got != "conns 0 bytes 0" {
		t.Errorf("the attacker's listener saw %q, want no connection", got)
	}
}

// TestAttachRefusesOtherUsersPeer: a socket owned by the user, but whose listener
// runs as another user, is refused on the connection's peer credentials, and the
// host writes nothing to it.
func TestAttachRefusesOtherUsersPeer(t *testing.T) {
	path, pid, report := startOtherUserListener(t)
	// The owner check alone would pass: the socket file is now the user's.
	if err := os.Chown(path, os.Geteuid(), os.Getegid()); err != nil {
		t.Fatal(err)
	}
	r := Reattach{Protocol: "grpc", ProtocolVersion: ProtocolVersion, Pid: pid, Addr: ReattachAddr{Network: "unix", String: path}}
	_, err := r.Attach(context.Background())
	want := fmt.Sprintf("(pid %d) runs as uid 65534", pid)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Attach to another user's listener = %v, want a refusal saying %q", err, want)
	}
	if got := report(); got != "conns 1 bytes 0" {
		t.Errorf("the attacker's listener saw %q, want one connection and nothing written", got)
	}
}
