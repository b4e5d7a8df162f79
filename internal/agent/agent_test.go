//go:build unix

package agent

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// dialEnv makes the test binary a raw client: it dials the socket it names, sends an
// info request and prints the response as JSON, or "error: ..." if it cannot.
const dialEnv = "BRS_AGENT_TEST_DIAL"

func TestMain(m *testing.M) {
	if socket := os.Getenv(listenEnv); socket != "" {
		fakeAgent(socket)
		return
	}
	if socket := os.Getenv(dialEnv); socket != "" {
		conn, err := net.Dial("unix", socket)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(0)
		}
		_ = writeMsg(conn, Request{Op: OpInfo})
		var resp Response
		if err := readMsg(conn, &resp, false); err != nil {
			fmt.Println("error:", err)
			os.Exit(0)
		}
		_ = json.NewEncoder(os.Stdout).Encode(resp)
		os.Exit(0)
	}
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// shortDir returns a new directory with a short path (a socket path is limited to
// 108 bytes), removed at cleanup.
func shortDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "brs-agent-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// serve starts a server on dir/run/agent.sock and stops it at cleanup.
func serve(t *testing.T, dir string) *Server {
	t.Helper()
	s, err := Listen(Config{Socket: filepath.Join(dir, "run", "agent.sock"), Version: "test", Environ: []string{"HOME=/x"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return s
}

func TestEnsureDirCreates0700(t *testing.T) {
	dir := filepath.Join(shortDir(t), "a", "brs")
	if err := EnsureDir(dir); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("%s: mode %v (%v), want 0700", dir, fi.Mode(), err)
	}
}

// TestCheckDirRefuses: a socket directory that others can write to, that another
// user owns, or that is a symbolic link is refused, with what to do.
func TestCheckDirRefuses(t *testing.T) {
	base := shortDir(t)
	mk := func(name string, mode os.FileMode) string {
		d := filepath.Join(base, name)
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, mode); err != nil {
			t.Fatal(err)
		}
		return d
	}
	other := mk("other", 0o700)
	if err := os.Chown(other, 65534, 65534); err != nil {
		t.Fatalf("this test runs as root (as CI does) to give a directory to another user: %v", err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(mk("target", 0o700), link); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{
		mk("group-writable", 0o770): "others can write to it",
		mk("world-writable", 0o777): "chmod 700",
		other:                       "belongs to uid 65534",
		link:                        "is a symbolic link",
	} {
		err := CheckDir(dir)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckDir(%s) = %v, want an error saying %q", dir, err, want)
		}
	}
	if err := CheckDir(mk("ok", 0o700)); err != nil {
		t.Errorf("CheckDir of a 0700 directory of mine: %v", err)
	}
	if err := CheckDir(mk("read-only-for-others", 0o755)); err != nil {
		t.Errorf("CheckDir of a 0755 directory of mine: %v", err)
	}
}

// TestOtherUserRefused runs a raw client under uid 65534. With the socket in its
// 0700 directory it cannot even connect; with the directory and the socket opened to
// everyone, it connects, and the agent refuses it by SO_PEERCRED and tells it
// nothing about itself.
func TestOtherUserRefused(t *testing.T) {
	dir := shortDir(t)
	s := serve(t, dir)

	// A copy of the test binary that uid 65534 can run.
	bin := shortDir(t)
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(bin, "agent.test")
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	asNobody := func() string {
		t.Helper()
		cmd := exec.Command(exe)
		cmd.Env = []string{dialEnv + "=" + s.cfg.Socket}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the client as uid 65534: %v\n%s", err, out)
		}
		return string(out)
	}

	if out := asNobody(); !strings.Contains(out, "permission denied") {
		t.Errorf("uid 65534 on the socket in its 0700 directory: %q, want permission denied", out)
	}

	for _, p := range []string{dir, filepath.Dir(s.cfg.Socket)} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(s.cfg.Socket, 0o777); err != nil {
		t.Fatal(err)
	}
	out := asNobody()
	var resp Response
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatalf("uid 65534 with the socket open to all: %q, want the agent's refusal", out)
	}
	if resp.Code != CodeRefused || resp.Agent.PID != 0 || resp.Agent.Socket != "" {
		t.Errorf("uid 65534 got %+v, want %q and nothing about the agent", resp, CodeRefused)
	}
	// The same request from this user is answered.
	mine, err := callRaw(s.cfg.Socket, Request{Op: OpInfo})
	if err != nil || mine.Code != "" || mine.Agent.PID != os.Getpid() {
		t.Errorf("my own info request: %+v, %v", mine, err)
	}
}

func callRaw(socket string, req Request) (*Response, error) {
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := writeMsg(conn, req); err != nil {
		return nil, err
	}
	var resp Response
	return &resp, readMsg(conn, &resp, false)
}

// TestReadMsgBounds: a length over MaxMessage is refused before anything is read or
// allocated; unknown fields and data after the JSON value are refused.
func TestReadMsgBounds(t *testing.T) {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], MaxMessage+1)
	r := io.MultiReader(bytes.NewReader(hdr[:]), errReader{})
	var req Request
	if err := readMsg(r, &req, true); err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Errorf("oversized length: %v, want refused", err)
	}
	for body, want := range map[string]string{
		`{"op":"info","evil":1}`: "unknown field",
		`{"op":"info"}{}`:        "data after",
		`[`:                      "decoding",
	} {
		var buf bytes.Buffer
		binary.BigEndian.PutUint32(hdr[:], uint32(len(body)))
		buf.Write(hdr[:])
		buf.WriteString(body)
		if err := readMsg(&buf, &req, true); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
}

// errReader fails the test's read if readMsg reads past an oversized header.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("read past the header") }

// TestServerBadRequests: malformed requests get an answer saying so, and the agent
// keeps serving.
func TestServerBadRequests(t *testing.T) {
	s := serve(t, shortDir(t))
	envCfg := filepath.Join(t.TempDir(), "brs.hcl")
	if err := os.WriteFile(envCfg, []byte(`role "a" {
  source = "sts"
  config { endpoint = env("VAULT_ADDR", "") }
}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Op: "format-disk"}, "unknown operation"},
		{Request{Op: OpCredentials, Version: "test", Config: "relative/brs.hcl"}, "absolute"},
		{Request{Op: OpCredentials, Version: "other", Config: "/x/brs.hcl"}, "the agent runs test"},
		{Request{Op: OpStatus, Version: "test", Config: envCfg}, "holds no host"},
		// A NUL would let one environment spell another's host key.
		{Request{Op: OpCredentials, Version: "test", Config: envCfg, Environ: []string{"AWS_PROFILE=a\x00HTTPS_PROXY=http://p"}}, "NUL"},
	} {
		resp, err := callRaw(s.cfg.Socket, tc.req)
		if err != nil || !strings.Contains(resp.Error, tc.want) {
			t.Errorf("%+v: %+v %v, want %q", tc.req, resp, err, tc.want)
		}
	}
	// Oversized: the header alone is refused.
	conn, err := net.Dial("unix", s.cfg.Socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], 1<<31)
	if _, err := conn.Write(hdr[:]); err != nil {
		t.Fatal(err)
	}
	var resp Response
	if err := readMsg(conn, &resp, false); err != nil || resp.Code != CodeBadRequest || !strings.Contains(resp.Error, "over the limit") {
		t.Errorf("oversized request: %+v %v", resp, err)
	}
}

// TestServerReadDeadline: a client that connects and sends nothing is answered with
// a timeout error no sooner than the read deadline, and its connection is then
// closed. (Should the server never answer, the read waits until the test binary's
// -timeout: the test sets no wall-clock limit of its own.)
func TestServerReadDeadline(t *testing.T) {
	old := readTimeout
	readTimeout = 200 * time.Millisecond
	t.Cleanup(func() { readTimeout = old })
	s := serve(t, shortDir(t))
	// The server's deadline runs from its accept, which may come before Dial returns
	// here (a test descheduled on a loaded machine): start before dialling, so that
	// an answer at the deadline is never measured as early.
	start := time.Now()
	conn, err := net.Dial("unix", s.cfg.Socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var resp Response
	if err := readMsg(conn, &resp, false); err != nil || resp.Code != CodeBadRequest || !strings.Contains(resp.Error, "timeout") {
		t.Errorf("silent client: %+v %v, want a bad request after the deadline", resp, err)
	}
	if took := time.Since(start); took < readTimeout {
		t.Errorf("answered after %v, before the read deadline of %v", took, readTimeout)
	}
	// Dropped: the server closed the connection after its answer.
	if n, err := conn.Read(make([]byte, 1)); n != 0 || !errors.Is(err, io.EOF) {
		t.Errorf("after the answer, read %d bytes, %v; want EOF: the server holds the connection", n, err)
	}
}

// TestListenLock: a second agent on the same socket gets ErrRunning; a socket left
// by an agent whose lock is gone (it died) is replaced.
func TestListenLock(t *testing.T) {
	dir := shortDir(t)
	s := serve(t, dir)
	if _, err := Listen(Config{Socket: s.cfg.Socket}); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Listen: %v, want ErrRunning", err)
	}

	// A stale socket: bound, never unlinked, nobody holding the lock.
	stale := filepath.Join(shortDir(t), "run", "agent.sock")
	if err := EnsureDir(filepath.Dir(stale)); err != nil {
		t.Fatal(err)
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := net.Dial("unix", stale); err == nil {
		t.Fatal("the stale socket accepts connections")
	}
	s2, err := Listen(Config{Socket: stale})
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	s2.ln.Close()
	s2.lock.Close()
}

// TestHostVariables: the variables that separate hosts are those the roles' sources
// declare, the file's env() and inherit_env names, brs's own (BRS_*), and where the
// plugin search looks (PATH, HOME, GOBIN...) when a plugin was searched for; every variable but the clients' and
// the shells' when that cannot be told; never those only clients read, even when a
// source declares them.
func TestHostVariables(t *testing.T) {
	declared := varsOf(host.Environment{Names: []string{"AWS_*", "HTTPS_PROXY", "VAULT_NAMESPACE"}, Discovered: true})
	given := varsOf(host.Environment{Names: []string{"AWS_PROFILE"}})
	unknown := varsOf(host.Environment{Names: []string{"AWS_PROFILE"}, Undeclared: []string{"old"}})
	for _, tc := range []struct {
		vars varSet
		name string
		want bool
	}{
		{declared, "AWS_PROFILE", true}, {declared, "AWS_SHARED_CREDENTIALS_FILE", true}, {declared, "HOME", true},
		{declared, "HTTPS_PROXY", true}, {declared, "VAULT_NAMESPACE", true}, {declared, "BRS_PLUGIN_DIR", true},
		{declared, "PATH", true}, {declared, "GOBIN", true},
		{declared, "AWS_DATA_PATH", false}, {declared, "AWS_PAGER", false}, {declared, "AWS_DEFAULT_OUTPUT", false},
		{declared, "AWS_CLI_FILE_ENCODING", false}, {declared, "TERM", false}, {declared, "SHLVL", false},
		{declared, "no_proxy", false}, {declared, "VAULT_ADDR", false}, {declared, "BRS_AGENT_SOCKET", false},
		{unknown, "VAULT_ADDR", true}, {unknown, "TERM", false}, {unknown, "PWD", false}, {unknown, "AWS_DATA_PATH", false},
		{varSet{}, "VAULT_ADDR", true}, {varSet{}, "_", false},
		{given, "PATH", false}, {given, "GOBIN", false}, {given, "BRS_PLUGIN_DIR", true}, {given, "AWS_PROFILE", true},
	} {
		if got := tc.vars.relevant(tc.name); got != tc.want {
			t.Errorf("%+v: relevant(%s) = %v, want %v", tc.vars, tc.name, got, tc.want)
		}
	}
	if got := declared.projection([]string{"AWS_PROFILE=a", "AWS_DATA_PATH=/d", "TERM=x", "AWS_PROFILE=b"}); strings.Join(got, ",") != "AWS_PROFILE=b" {
		t.Errorf("projection: %q, want the last AWS_PROFILE only", got)
	}
	if got := declared.namesIn([]string{"AWS_PROFILE=a", "TERM=x"}, []string{"HTTPS_PROXY=http://p", "PWD=/"}); strings.Join(got, ",") != "AWS_PROFILE,HTTPS_PROXY" {
		t.Errorf("namesIn: %q", got)
	}
	if u := declared.union(unknown); !u.all || !u.relevant("AWS_PROFILE") || !u.relevant("VAULT_NAMESPACE") {
		t.Errorf("union: %+v", u)
	}
}
