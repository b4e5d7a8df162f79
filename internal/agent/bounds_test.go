//go:build unix

package agent

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/shared"
)

// countingSource is an in-process source that counts its refreshes; with block set,
// its Schema waits on block and ignores its context, as a load stuck in CPU-bound
// work (decoding a huge list) would.
type countingSource struct {
	refreshes atomic.Int64
	entered   chan struct{} // receives once Schema blocks
	block     chan struct{}
}

func (c *countingSource) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	if c.block != nil {
		c.entered <- struct{}{}
		<-c.block
	}
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "counts"}}, nil
}

func (c *countingSource) Validate(context.Context, *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	return &shared.ValidateResponse{}, nil
}

func (c *countingSource) Refresh(_ context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	n := c.refreshes.Add(1)
	return &shared.RefreshResponse{Credentials: shared.Credentials{
		AccessKeyID: fmt.Sprintf("AKIATEST%08d", n), SecretAccessKey: "s", Expires: time.Now().Add(time.Hour)}}, nil
}

// serveWith starts a server with cfg (its socket in a new directory) and returns it
// and a channel that receives Serve's result. The test must stop it.
func serveWith(t *testing.T, cfg Config) (*Server, chan error) {
	t.Helper()
	cfg.Socket = filepath.Join(shortDir(t), "run", "agent.sock")
	cfg.Version = "test"
	s, err := Listen(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background()) }()
	return s, done
}

func stopServer(t *testing.T, s *Server, done chan error) {
	t.Helper()
	if _, err := callRaw(s.cfg.Socket, Request{Op: OpStop}); err != nil {
		t.Errorf("stop: %v", err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(time.Minute): // a failure's bound, not a synchronisation
		t.Fatal("the agent did not stop")
	}
}

func writeConfig(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHostsBounded: requests naming more config files than maxHosts (and files that
// do not exist) leave at most maxHosts hosts: the least recently used idle one is
// closed, and a request for it later loads it again.
func TestHostsBounded(t *testing.T) {
	old := maxHosts
	maxHosts = 3
	t.Cleanup(func() { maxHosts = old })
	src := &countingSource{}
	s, done := serveWith(t, Config{HostOptions: []host.Option{host.WithRefresher("test", src)}})
	defer stopServer(t, s, done)
	dir := t.TempDir()
	var configs []string
	for i := range 8 {
		cfg := writeConfig(t, dir, fmt.Sprintf("c%d.hcl", i), `role "a" { source = "test" }`)
		configs = append(configs, cfg)
		resp, err := callRaw(s.cfg.Socket, Request{Op: OpCredentials, Version: "test", Config: cfg, Role: "a", Environ: []string{"HOME=/x"}})
		if err != nil || resp.Credentials == nil {
			t.Fatalf("%s: %+v %v", cfg, resp, err)
		}
		if n := len(s.Info().Configs); n > maxHosts {
			t.Fatalf("after %d config files the agent holds %d hosts, want at most %d", i+1, n, maxHosts)
		}
	}
	for i := range 50 {
		_, _ = callRaw(s.cfg.Socket, Request{Op: OpCredentials, Version: "test", Config: filepath.Join(dir, fmt.Sprint("missing", i)), Role: "a", Environ: []string{"HOME=/x"}})
	}
	s.mu.Lock()
	entries := len(s.hosts)
	s.mu.Unlock()
	if entries > maxHosts {
		t.Errorf("after 50 missing config files the agent keeps %d entries, want at most %d", entries, maxHosts)
	}
	// The first file's host was evicted: status says so, and credentials load it again.
	if resp, err := callRaw(s.cfg.Socket, Request{Op: OpStatus, Version: "test", Config: configs[0]}); err != nil || resp.Code != CodeNotLoaded {
		t.Errorf("status of the evicted host: %+v %v, want %q", resp, err, CodeNotLoaded)
	}
	if resp, err := callRaw(s.cfg.Socket, Request{Op: OpCredentials, Version: "test", Config: configs[0], Role: "a", Environ: []string{"HOME=/x"}}); err != nil || resp.Credentials == nil {
		t.Errorf("credentials of the evicted host: %+v %v", resp, err)
	}
}

// TestRequestBounds: too many plugin directories, a path over PATH_MAX and a request
// over MaxRequest are refused.
func TestRequestBounds(t *testing.T) {
	s := serve(t, shortDir(t))
	dirs := make([]string, maxPluginDirs+1)
	for i := range dirs {
		dirs[i] = fmt.Sprint("/d", i)
	}
	long := "/" + string(make([]byte, maxPath))
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Op: OpCredentials, Version: "test", Config: "/x/brs.hcl", PluginDirs: dirs}, "plugin directories"},
		{Request{Op: OpCredentials, Version: "test", Config: "/x/brs.hcl", PluginDirs: []string{long}}, "at most 4096"},
	} {
		resp, err := callRaw(s.cfg.Socket, tc.req)
		if err != nil || resp.Code != CodeBadRequest || !strings.Contains(resp.Error, tc.want) {
			t.Errorf("%.60s: %+v %v, want %q", fmt.Sprint(tc.req), resp, err, tc.want)
		}
	}
	// A request over MaxRequest (far under MaxMessage): the header alone is refused.
	conn, err := net.Dial("unix", s.cfg.Socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], MaxRequest+1)
	if _, err := conn.Write(hdr[:]); err != nil {
		t.Fatal(err)
	}
	var resp Response
	if err := readMsg(conn, &resp, false); err != nil || resp.Code != CodeBadRequest || !strings.Contains(resp.Error, "over the limit of 65536") {
		t.Errorf("request of MaxRequest+1 bytes: %+v %v", resp, err)
	}
}

// TestServesWhileOneLoads: a config file whose load never ends (a source stuck and
// deaf to cancellation) does not stop the agent from answering info, status and
// another file's credentials; and `stop` ends the agent while that load still runs.
func TestServesWhileOneLoads(t *testing.T) {
	oldGrace := shutdownGrace
	shutdownGrace = 100 * time.Millisecond
	t.Cleanup(func() { shutdownGrace = oldGrace })
	slow := &countingSource{entered: make(chan struct{}, 1), block: make(chan struct{})}
	defer close(slow.block)
	// The callers' environment is the agent's: their loads run side by side.
	s, done := serveWith(t, Config{Environ: []string{"HOME=/x"}, HostOptions: []host.Option{
		host.WithRefresher("slow", slow), host.WithRefresher("test", &countingSource{})}})
	dir := t.TempDir()
	stuck := writeConfig(t, dir, "stuck.hcl", `role "a" { source = "slow" }`)
	ok := writeConfig(t, dir, "ok.hcl", `role "a" { source = "test" }`)
	go func() {
		_, _ = callRaw(s.cfg.Socket, Request{Op: OpCredentials, Version: "test", Config: stuck, Role: "a", Environ: []string{"HOME=/x"}})
	}()
	<-slow.entered
	if resp, err := callRaw(s.cfg.Socket, Request{Op: OpInfo}); err != nil || resp.Agent.PID != os.Getpid() {
		t.Errorf("info during a stuck load: %+v %v", resp, err)
	}
	if resp, err := callRaw(s.cfg.Socket, Request{Op: OpStatus, Version: "test", Config: stuck}); err != nil || resp.Code != CodeNotLoaded {
		t.Errorf("status of the loading file: %+v %v, want %q", resp, err, CodeNotLoaded)
	}
	if resp, err := callRaw(s.cfg.Socket, Request{Op: OpCredentials, Version: "test", Config: ok, Role: "a", Environ: []string{"HOME=/x"}}); err != nil || resp.Credentials == nil {
		t.Errorf("another file's credentials during a stuck load: %+v %v", resp, err)
	}
	stopServer(t, s, done) // fails if Serve waits for the stuck load
}

// TestOneHostPerEnvironment: callers that differ only in variables that clients read
// (AWS_DATA_PATH, TERM, PWD) share one host and one refresh; callers whose
// AWS_SHARED_CREDENTIALS_FILE or HTTPS_PROXY differ get a host each, with credentials
// of their own; Info lists each host's variable names and never a value.
func TestOneHostPerEnvironment(t *testing.T) {
	src := &countingSource{}
	s, done := serveWith(t, Config{Environ: []string{"HOME=/h"}, HostOptions: []host.Option{host.WithRefresher("test", src)}})
	defer stopServer(t, s, done)
	cfg := writeConfig(t, t.TempDir(), "brs.hcl", `role "a" { source = "test" }`)
	get := func(env ...string) string {
		t.Helper()
		resp, err := callRaw(s.cfg.Socket, Request{Op: OpCredentials, Version: "test", Config: cfg, Role: "a", Environ: append([]string{"HOME=/h"}, env...)})
		if err != nil || resp.Credentials == nil {
			t.Fatalf("%q: %+v %v", env, resp, err)
		}
		return resp.Credentials.AccessKeyID
	}
	first := get("AWS_PROFILE=p", "AWS_DATA_PATH=/cli1", "TERM=xterm")
	for _, env := range [][]string{
		{"AWS_PROFILE=p", "AWS_DATA_PATH=/cli2", "TERM=dumb", "PWD=/elsewhere", "AWS_PAGER=", "AWS_CLI_FILE_ENCODING=utf-8"},
		{"AWS_PROFILE=p"},
	} {
		if got := get(env...); got != first {
			t.Errorf("%q: %s, want the shared host's %s", env, got, first)
		}
	}
	if n := src.refreshes.Load(); n != 1 {
		t.Errorf("%d refreshes for callers that differ only in client variables, want 1", n)
	}
	creds := get("AWS_PROFILE=p", "AWS_SHARED_CREDENTIALS_FILE=/secret/other")
	proxied := get("AWS_PROFILE=p", "HTTPS_PROXY=http://proxy.example:3128")
	if creds == first || proxied == first || creds == proxied {
		t.Errorf("credentials %s (another credentials file), %s (a proxy), %s (first): want three", creds, proxied, first)
	}
	hosts := s.Info().Hosts
	if len(hosts) != 3 {
		t.Fatalf("Info lists %d hosts, want 3: %+v", len(hosts), hosts)
	}
	info, _ := json.Marshal(s.Info())
	for _, secret := range []string{"/secret/other", "proxy.example"} {
		if strings.Contains(string(info), secret) {
			t.Errorf("Info shows the value %q: %s", secret, info)
		}
	}
	for _, name := range []string{"AWS_SHARED_CREDENTIALS_FILE", "HTTPS_PROXY", "AWS_PROFILE"} {
		if !strings.Contains(string(info), `"`+name+`"`) {
			t.Errorf("Info does not name %s: %s", name, info)
		}
	}
	if strings.Contains(string(info), "AWS_DATA_PATH") || strings.Contains(string(info), "TERM") {
		t.Errorf("Info names a client variable: %s", info)
	}
}
