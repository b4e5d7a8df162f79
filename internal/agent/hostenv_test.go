//go:build unix

package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

const envPluginPkg = "github.com/brs-go/brs/internal/testutil/envplugin"

// declaringSource is countingSource with a declared environment.
type declaringSource struct {
	countingSource
	env []string
}

func (d *declaringSource) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	if d.block != nil {
		d.entered <- struct{}{}
		<-d.block
	}
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "counts"}, Environment: d.env}, nil
}

// TestHostsByDeclaredEnvironment: with a source that declares what it reads, callers
// that differ in a variable it does not declare (VAULT_ADDR) share a host and one
// refresh; those that differ in one it declares (HTTPS_PROXY) or one the file gives
// env() (BRS_TEST_NS) get a host each, and the env() value each host's role sees is
// its caller's (the agent's own is another); with a source that declares nothing,
// VAULT_ADDR separates hosts too. Info names the variables and no value.
func TestHostsByDeclaredEnvironment(t *testing.T) {
	decl := &declaringSource{env: []string{"AWS_PROFILE", "HTTPS_PROXY"}}
	mute := &countingSource{}
	agentEnv := []string{"HOME=/h", "BRS_TEST_NS=agent"}
	s, done := serveWith(t, Config{Environ: agentEnv, HostOptions: []host.Option{
		host.WithRefresher("decl", decl), host.WithRefresher("mute", mute)}})
	defer stopServer(t, s, done)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "brs.hcl", `role "a" {
  source = "decl"
  region = env("BRS_TEST_NS", "unset")
}`)
	old := writeConfig(t, dir, "old.hcl", `role "a" { source = "mute" }`)
	get := func(path string, env ...string) *Response {
		t.Helper()
		resp, err := callRaw(s.cfg.Socket, Request{Op: OpCredentials, Version: "test", Config: path, Role: "a",
			Environ: append([]string{"HOME=/h"}, env...)})
		if err != nil || resp.Credentials == nil {
			t.Fatalf("%q: %+v %v", env, resp, err)
		}
		return resp
	}
	first := get(cfg, "BRS_TEST_NS=one", "VAULT_ADDR=http://a")
	if first.Region != "one" {
		t.Errorf("env() in the first host: region %q, want the caller's value one", first.Region)
	}
	if r := get(cfg, "BRS_TEST_NS=one", "VAULT_ADDR=http://b", "TERM=dumb"); r.Credentials.AccessKeyID != first.Credentials.AccessKeyID {
		t.Errorf("another VAULT_ADDR, which no source reads: %s, want the shared host's %s", r.Credentials.AccessKeyID, first.Credentials.AccessKeyID)
	}
	if n := decl.refreshes.Load(); n != 1 {
		t.Errorf("%d refreshes for callers that differ in an undeclared variable, want 1", n)
	}
	proxied := get(cfg, "BRS_TEST_NS=one", "HTTPS_PROXY=http://proxy.example:3128")
	two := get(cfg, "BRS_TEST_NS=two")
	if two.Region != "two" {
		t.Errorf("env() in another caller's host: region %q, want its value two", two.Region)
	}
	none := get(cfg)
	if none.Region != "unset" {
		t.Errorf("env() of a caller without the variable: region %q, want the default (not the agent's %q)", none.Region, "agent")
	}
	keys := map[string]bool{}
	for _, r := range []*Response{first, proxied, two, none} {
		keys[r.Credentials.AccessKeyID] = true
	}
	if len(keys) != 4 {
		t.Errorf("callers differing in HTTPS_PROXY or an env() variable share credentials: %v", keys)
	}
	if v, _ := os.LookupEnv("BRS_TEST_NS"); v != "" {
		t.Errorf("the agent's process environment keeps a caller's BRS_TEST_NS=%s after its load", v)
	}

	a := get(old, "VAULT_ADDR=http://a")
	if b := get(old, "VAULT_ADDR=http://b"); b.Credentials.AccessKeyID == a.Credentials.AccessKeyID {
		t.Errorf("a source that declares nothing: callers with another VAULT_ADDR share %s", a.Credentials.AccessKeyID)
	}

	info, _ := json.Marshal(s.Info())
	for _, secret := range []string{"proxy.example", "http://a", "\"two\""} {
		if strings.Contains(string(info), secret) {
			t.Errorf("Info shows the value %q: %s", secret, info)
		}
	}
	for _, name := range []string{"HTTPS_PROXY", "BRS_TEST_NS", "VAULT_ADDR"} {
		if !strings.Contains(string(info), `"`+name+`"`) {
			t.Errorf("Info does not name %s: %s", name, info)
		}
	}
}

// TestFirstLoadTellsTheVariables: two callers that differ only in a variable no
// source reads, arriving while the file's first host loads, share that host and one
// refresh: the second waits for the load that tells which variables count instead
// of making a host of its own.
func TestFirstLoadTellsTheVariables(t *testing.T) {
	decl := &declaringSource{env: []string{"AWS_PROFILE"}}
	decl.entered, decl.block = make(chan struct{}, 1), make(chan struct{})
	s, done := serveWith(t, Config{Environ: []string{"HOME=/h"}, HostOptions: []host.Option{host.WithRefresher("decl", decl)}})
	defer stopServer(t, s, done)
	cfg := writeConfig(t, t.TempDir(), "brs.hcl", `role "a" { source = "decl" }`)
	keys := make(chan string, 2)
	get := func(env string) {
		resp, err := callRaw(s.cfg.Socket, Request{Op: OpCredentials, Version: "test", Config: cfg, Role: "a", Environ: []string{"HOME=/h", env}})
		if err != nil || resp.Credentials == nil {
			t.Errorf("%s: %+v %v", env, resp, err)
			keys <- ""
			return
		}
		keys <- resp.Credentials.AccessKeyID
	}
	go get("VAULT_ADDR=http://a")
	<-decl.entered // the first load is in progress
	events := make(chan string, 1)
	testHook = func(ev string) { events <- ev }
	t.Cleanup(func() { testHook = nil })
	go get("VAULT_ADDR=http://b")
	if ev := <-events; ev != "wait" {
		t.Errorf("the second caller: %q, want it to wait for the first load", ev)
	}
	testHook = nil
	close(decl.block)
	a, b := <-keys, <-keys
	if a != b || decl.refreshes.Load() != 1 {
		t.Errorf("two cold callers differing in an undeclared variable: %s and %s, %d refreshes; want one host", a, b, decl.refreshes.Load())
	}
}

// TestReloadThatReadsANewVariable: callers that differ in TEAM_X share a host
// while the file does not read it; once the file gives it to env(), the reload tells
// so, and the caller whose value differs from the host's gets a host of its own,
// loaded with its value, instead of the first caller's.
func TestReloadThatReadsANewVariable(t *testing.T) {
	decl := &declaringSource{env: []string{"AWS_PROFILE"}}
	s, done := serveWith(t, Config{Environ: []string{"HOME=/h"}, HostOptions: []host.Option{host.WithRefresher("decl", decl)}})
	defer stopServer(t, s, done)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "brs.hcl", `role "a" {
  source = "decl"
  region = "us-east-1"
}`)
	getV := func(v string) *Response {
		t.Helper()
		resp, err := callRaw(s.cfg.Socket, Request{Op: OpCredentials, Version: "test", Config: cfg, Role: "a", Environ: []string{"HOME=/h", "TEAM_X=" + v}})
		if err != nil || resp.Credentials == nil {
			t.Fatalf("TEAM_X=%s: %+v %v", v, resp, err)
		}
		return resp
	}
	one := getV("one")
	if two := getV("two"); two.Credentials.AccessKeyID != one.Credentials.AccessKeyID {
		t.Fatalf("a variable the file does not read separates hosts: %s and %s", one.Credentials.AccessKeyID, two.Credentials.AccessKeyID)
	}
	writeConfig(t, dir, "brs.hcl", `role "a" {
  source = "decl"
  region = env("TEAM_X", "unset")
}`)
	two := getV("two")
	if two.Region != "two" {
		t.Errorf("after the file reads TEAM_X: region %q, want the caller's two (not the first caller's)", two.Region)
	}
	if one := getV("one"); one.Region != "one" || one.Credentials.AccessKeyID == two.Credentials.AccessKeyID {
		t.Errorf("the first caller after the change: region %q key %s; want one, and not the other host's key", one.Region, one.Credentials.AccessKeyID)
	}
}

// TestHostsRunInTheirCallersEnvironment: a host runs in its caller's environment,
// never in the agent's process environment, which no load changes any more. While
// the load of another caller's host (with BRS_T_SECRET set) is in progress and
// blocked: the agent's process environment does not hold that caller's variable; a
// third caller's host of another file loads meanwhile, with its own values (loads
// of different environments run side by side); and the plugin of a first caller's
// host, killed and restarted by a refresh, sees the first caller's variables, not
// the other caller's (with the process environment swapped for a load, as it was,
// it saw BRS_T_SECRET). The plugins are real subprocesses (envplugin).
func TestHostsRunInTheirCallersEnvironment(t *testing.T) {
	decl := &declaringSource{env: []string{"BRS_T_*"}}
	decl.entered, decl.block = make(chan struct{}, 1), make(chan struct{})
	s, done := serveWith(t, Config{Environ: []string{"HOME=/h"}, HostOptions: []host.Option{host.WithRefresher("decl", decl)}})
	defer stopServer(t, s, done)
	dir := t.TempDir()
	fileA := writeConfig(t, dir, "a.hcl", `plugin "envtest" { command = "`+plugintestbin.Build(t, envPluginPkg)+`" }
role "a" {
  source = "envtest"
  config { names = ["BRS_T_FOO", "BRS_T_SECRET"] }
}`)
	fileB := writeConfig(t, dir, "b.hcl", `role "b" { source = "decl" }`)
	call := func(op, path, role string, env ...string) (*Response, error) {
		return callRaw(s.cfg.Socket, Request{Op: op, Version: "test", Config: path, Role: role, Roles: []string{role},
			Environ: append([]string{"HOME=/h"}, env...)})
	}
	token := func(env ...string) (string, string) {
		t.Helper()
		resp, err := call(OpCredentials, fileA, "a", env...)
		if err != nil || resp.Credentials == nil {
			t.Fatalf("%q: %+v %v", env, resp, err)
		}
		return resp.Credentials.SessionToken, resp.Credentials.AccessKeyID
	}
	const wantA = "BRS_T_FOO=a;BRS_T_SECRET:unset"
	got, akid := token("BRS_T_FOO=a")
	if got != wantA {
		t.Fatalf("the first caller's plugin sees %q, want %q", got, wantA)
	}
	var pid, n int
	if _, err := fmt.Sscanf(akid, "ENVPID%dN%d", &pid, &n); err != nil {
		t.Fatalf("access key id %q: %v", akid, err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}

	bDone := make(chan *Response, 1)
	go func() {
		resp, err := call(OpCredentials, fileB, "b", "BRS_T_FOO=b", "BRS_T_SECRET=b-secret")
		if err != nil {
			t.Errorf("caller b: %v", err)
		}
		bDone <- resp
	}()
	<-decl.entered // b's host is loading, and stays so until decl.block is closed
	if v, ok := os.LookupEnv("BRS_T_SECRET"); ok {
		t.Errorf("during another caller's load, the agent's process environment holds its BRS_T_SECRET=%s", v)
	}

	cDone := make(chan string, 1)
	go func() {
		resp, err := call(OpCredentials, fileA, "a", "BRS_T_FOO=c")
		if err != nil || resp.Credentials == nil {
			t.Errorf("caller c: %+v %v", resp, err)
			cDone <- ""
			return
		}
		cDone <- resp.Credentials.SessionToken
	}()
	select {
	case got := <-cDone:
		if got != "BRS_T_FOO=c;BRS_T_SECRET:unset" {
			t.Errorf("a host loaded while another caller's load is in progress sees %q", got)
		}
	case <-time.After(20 * time.Second): // a failure's bound, not a synchronisation
		t.Error("the load of a host for a third caller waited for another caller's load")
	}

	resp, err := call(OpRefresh, fileA, "a", "BRS_T_FOO=a")
	if err != nil || len(resp.Refreshed) != 1 || resp.Refreshed[0].Error != "" {
		t.Fatalf("refresh of the first caller's role: %+v %v", resp, err)
	}
	got, akid2 := token("BRS_T_FOO=a")
	if akid2 == akid {
		t.Fatalf("the refresh after the kill was served by the killed process: %s", akid2)
	}
	if got != wantA {
		t.Errorf("the first caller's plugin, restarted during another caller's load, sees %q, want %q", got, wantA)
	}

	close(decl.block)
	if r := <-bDone; r == nil || r.Credentials == nil {
		t.Errorf("caller b after its load: %+v", r)
	}
	if got, _ := token("BRS_T_FOO=a"); got != wantA {
		t.Errorf("the first caller's plugin after the other load ended sees %q, want %q", got, wantA)
	}
}
