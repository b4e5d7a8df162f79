package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/proctest"
)

// agentHarness runs the real brs binary with an agent of its own: its own socket
// directory, state directory and HOME, so that no two tests share an agent and none
// touches the user's. Cleanup stops the agent and checks that it and its plugins
// are gone.
type agentHarness struct {
	t      *testing.T
	brs    string
	work   string
	socket string
	state  string
	env    []string

	mu   sync.Mutex
	pids map[int]bool // agents and plugins seen, killed at cleanup if still alive
}

func newAgentHarness(t *testing.T, extraEnv ...string) *agentHarness {
	t.Helper()
	// A short path: a unix socket's path is limited to 108 bytes.
	dir, err := os.MkdirTemp("", "brs-agent-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	h := &agentHarness{
		t: t, brs: plugintestbin.Build(t, brsPkg), work: t.TempDir(),
		socket: filepath.Join(dir, "run", "agent.sock"), state: t.TempDir(), pids: map[int]bool{},
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "BRS_") || strings.HasPrefix(name, "AWS_") || strings.HasPrefix(name, "XDG_") || name == "HOME" {
			continue
		}
		h.env = append(h.env, kv)
	}
	h.env = append(h.env, "BRS_AGENT_SOCKET="+h.socket, "XDG_STATE_HOME="+h.state, "HOME="+h.work, "NO_COLOR=1")
	h.env = append(h.env, extraEnv...)
	t.Cleanup(h.cleanup)
	return h
}

// run runs brs with args and the harness's environment plus env.
func (h *agentHarness) run(env []string, args ...string) result {
	h.t.Helper()
	return h.runBin(h.brs, nil, env, args...)
}

// runBin runs bin (brs, or a client) as run runs brs, with attr for its process.
func (h *agentHarness) runBin(bin string, attr *syscall.SysProcAttr, env []string, args ...string) result {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.SysProcAttr = h.work, attr
	cmd.Env = append(append([]string(nil), h.env...), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errorsAs(err, &ee) {
			h.t.Fatalf("%s %s: %v", filepath.Base(bin), strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return result{code, stdout.String(), stderr.String()}
}

// agentStatus is what `brs status --json` reports about the agent.
type agentStatusJSON struct {
	Roles []struct {
		Role        string `json:"role"`
		AccessKeyID string `json:"access_key_id"`
		Valid       bool   `json:"valid"`
		LastError   string `json:"last_error"`
		Refreshes   int    `json:"refreshes"`
	} `json:"roles"`
	Agent *struct {
		PID     int `json:"pid"`
		Plugins []struct {
			Name string `json:"name"`
			PID  int    `json:"pid"`
		} `json:"plugins"`
	} `json:"agent"`
}

// status runs `brs -c cfg status --json` and records the PIDs it reports.
func (h *agentHarness) status(cfg string) agentStatusJSON {
	h.t.Helper()
	r := h.run(nil, "-c", cfg, "status", "--json")
	var doc agentStatusJSON
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		h.t.Fatalf("status --json: %v\nstdout:\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
	}
	if doc.Agent != nil {
		h.mu.Lock()
		h.pids[doc.Agent.PID] = true
		for _, p := range doc.Agent.Plugins {
			if p.PID > 0 {
				h.pids[p.PID] = true
			}
		}
		h.mu.Unlock()
	}
	return doc
}

// agentPID returns the running agent's PID from `brs agent status`, or 0.
func (h *agentHarness) agentPID() int {
	h.t.Helper()
	r := h.run(nil, "agent", "status")
	m := regexp.MustCompile(`(?m)^pid\s+(\d+)$`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		return 0
	}
	pid, _ := strconv.Atoi(m[1])
	h.mu.Lock()
	h.pids[pid] = true
	h.mu.Unlock()
	return pid
}

// cleanup stops the agent, then checks that every agent and plugin seen is gone.
func (h *agentHarness) cleanup() {
	h.agentPID()
	if r := h.run(nil, "agent", "stop"); r.code != 0 {
		h.t.Errorf("brs agent stop: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for pid := range h.pids {
		proctest.WaitGone(h.t, pid)
	}
	// Any other process started with this harness's socket is a leaked agent (or
	// one of its plugins): killed, and the test fails.
	marker := []byte("BRS_AGENT_SOCKET=" + h.socket + "\x00")
	procs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, p := range procs {
		env, err := os.ReadFile(p)
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		if err != nil || pid == os.Getpid() || !bytes.Contains(env, marker) || !processAlive(pid) {
			continue
		}
		if cmdline, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "cmdline")); bytes.Contains(cmdline, []byte("agent")) || bytes.Contains(cmdline, []byte("plugin")) {
			h.t.Errorf("process %d (%s) is left running; killing it", pid, bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))
			_ = killProcess(pid)
		}
	}
}

func (h *agentHarness) logText() string {
	b, _ := os.ReadFile(filepath.Join(h.state, "brs", "agent.log"))
	return string(b)
}

// akid returns the AccessKeyId of a successful credential-process run.
func akid(t *testing.T, r result) string {
	t.Helper()
	k := akidOf(r.stdout)
	if r.code != 0 || k == "" {
		t.Fatalf("credential-process: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	return k
}

// akidOf returns the AccessKeyId of credential_process JSON, or "".
func akidOf(stdout string) string {
	var doc struct {
		AccessKeyID string `json:"AccessKeyId"`
	}
	_ = json.Unmarshal([]byte(stdout), &doc)
	return doc.AccessKeyID
}

// TestAgentServesFromMemory: the first credential-process starts a detached agent;
// the next ones get the same credentials from it (the test plugin numbers each
// refresh, so a second refresh would show). BRS_AGENT=off and --no-agent fetch
// in-process; status shows the agent's live role; the socket directory is 0700, the
// socket and the log 0600.
func TestAgentServesFromMemory(t *testing.T) {
	h := newAgentHarness(t)
	cfg := writeHCL(t, h.work, "brs.hcl", testRoles)
	first := akid(t, h.run(nil, "-c", cfg, "credential-process", "a"))
	for range 3 {
		if got := akid(t, h.run(nil, "-c", cfg, "credential-process", "a")); got != first {
			t.Fatalf("AccessKeyId %s, want %s from the agent", got, first)
		}
	}
	env := h.run(nil, "-c", cfg, "env", "a")
	if env.code != 0 || !strings.Contains(env.stdout, "export AWS_ACCESS_KEY_ID='"+first+"'") {
		t.Errorf("env: exit %d, want the agent's key %s:\n%s%s", env.code, first, env.stdout, env.stderr)
	}
	for _, off := range [][]string{{"BRS_AGENT=off"}, nil} {
		args := []string{"-c", cfg, "credential-process", "a"}
		if off == nil {
			args = append([]string{"--no-agent"}, args...)
		}
		if got := akid(t, h.run(off, args...)); got == first {
			t.Errorf("%v %v: got the agent's key %s, want an in-process fetch", off, args, got)
		}
	}
	pid := h.agentPID()
	if pid == 0 {
		t.Fatal("brs agent status: no agent")
	}
	st := h.status(cfg)
	if st.Agent == nil || st.Agent.PID != pid || len(st.Roles) != 2 || st.Roles[0].AccessKeyID != first ||
		!st.Roles[0].Valid || st.Roles[0].Refreshes != 1 || st.Roles[1].AccessKeyID != "" {
		t.Errorf("status --json = %+v, want agent %d, role a live with %s after 1 refresh, b never fetched", st, pid, first)
	}
	table := h.run(nil, "-c", cfg, "status")
	if table.code != 0 || !strings.Contains(table.stdout, "Live state of the agent (pid "+strconv.Itoa(pid)) {
		t.Errorf("status: exit %d:\n%s%s", table.code, table.stdout, table.stderr)
	}
	for path, want := range map[string]os.FileMode{
		filepath.Dir(h.socket): 0o700 | os.ModeDir, h.socket: 0o600 | os.ModeSocket,
		filepath.Join(h.state, "brs", "agent.log"): 0o600,
	} {
		if fi, err := os.Stat(path); err != nil || fi.Mode() != want {
			t.Errorf("%s: %v %v, want mode %v", path, fi.Mode(), err, want)
		}
	}
}

// TestAgentStatusWithoutAgent: without an agent, status says so and fetches
// in-process as before; it does not start one.
func TestAgentStatusWithoutAgent(t *testing.T) {
	h := newAgentHarness(t)
	cfg := writeHCL(t, h.work, "brs.hcl", oneRole("a"))
	r := h.run(nil, "-c", cfg, "status")
	if r.code != 0 || !strings.Contains(r.stderr, "no agent is running") || !strings.Contains(r.stdout, "TESTPID") {
		t.Errorf("status: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if pid := h.agentPID(); pid != 0 {
		t.Errorf("status started an agent (pid %d)", pid)
	}
}

// TestAgentSIGKILLed: an agent killed with SIGKILL leaves its socket behind; its
// plugin dies with it; the next command starts a new agent (the lock tells the stale
// socket from a live one) and gets credentials.
func TestAgentSIGKILLed(t *testing.T) {
	h := newAgentHarness(t)
	cfg := writeHCL(t, h.work, "brs.hcl", oneRole("a"))
	akid(t, h.run(nil, "-c", cfg, "credential-process", "a"))
	st := h.status(cfg)
	old := h.agentPID()
	if st.Agent == nil || st.Agent.PID != old || len(st.Agent.Plugins) != 1 || st.Agent.Plugins[0].PID == 0 {
		t.Fatalf("status: %+v, want agent %d with a running plugin", st, old)
	}
	if err := killProcess(old); err != nil {
		t.Fatal(err)
	}
	proctest.WaitGone(t, old)
	// The plugin dies with the agent (parent-death signal), not orphaned.
	proctest.WaitGone(t, st.Agent.Plugins[0].PID)
	if _, err := os.Stat(h.socket); err != nil {
		t.Fatalf("the killed agent's socket is gone (%v): the test would not test a stale socket", err)
	}
	r := h.run(nil, "--log-level", "debug", "-c", cfg, "credential-process", "a")
	akid(t, r)
	if pid := h.agentPID(); pid == 0 || pid == old {
		t.Errorf("agent pid %d after the kill of %d, want a new one\nstderr:\n%s\nlog:\n%s", pid, old, r.stderr, h.logText())
	}
}

// TestAgentRacingStarts: eight commands started at once on no agent all succeed,
// with the credentials of one refresh of one agent; one agent listened.
func TestAgentRacingStarts(t *testing.T) {
	h := newAgentHarness(t)
	cfg := writeHCL(t, h.work, "brs.hcl", oneRole("a"))
	const n = 8
	keys := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.run(nil, "-c", cfg, "credential-process", "a")
			keys[i] = akidOf(r.stdout)
			if r.code != 0 {
				t.Errorf("run %d: exit %d\n%s", i, r.code, r.stderr)
			}
		}()
	}
	wg.Wait()
	for i, k := range keys {
		if k != keys[0] || k == "" {
			t.Errorf("run %d got %q, run 0 %q: want one agent's one refresh", i, k, keys[0])
		}
	}
	h.agentPID()
	if got := strings.Count(h.logText(), "agent listening"); got != 1 {
		t.Errorf("%d agents listened, want 1; log:\n%s", got, h.logText())
	}
}

// TestAgentReload: when the file changes, a role whose definition did not change
// keeps its credentials, a changed one gets new ones; a file that no longer loads
// fails the command with its diagnostics and leaves the agent's roles as they were.
func TestAgentReload(t *testing.T) {
	h := newAgentHarness(t)
	cfg := writeHCL(t, h.work, "brs.hcl", testRoles)
	a1 := akid(t, h.run(nil, "-c", cfg, "credential-process", "a"))
	b1 := akid(t, h.run(nil, "-c", cfg, "credential-process", "b"))

	changed := strings.Replace(testRoles, `lifetime = "30m"`, `lifetime = "40m"`, 1)
	writeHCL(t, h.work, "brs.hcl", "# a comment moves every block down a line\n"+changed)
	if got := akid(t, h.run(nil, "-c", cfg, "credential-process", "a")); got != a1 {
		t.Errorf("unchanged role a: %s after the reload, want %s (kept)", got, a1)
	}
	if got := akid(t, h.run(nil, "-c", cfg, "credential-process", "b")); got == b1 {
		t.Errorf("changed role b: still %s after the reload, want new credentials", got)
	}

	writeHCL(t, h.work, "brs.hcl", changed+"\nrole \"c\" {\n  source = \n}\n")
	r := h.run(nil, "-c", cfg, "credential-process", "a")
	if r.code != 1 || r.stdout != "" || !regexp.MustCompile(regexp.QuoteMeta(cfg)+`:\d+:\d+: error: `).MatchString(r.stderr) {
		t.Errorf("invalid file: exit %d, want 1 with FILE:LINE:COL diagnostics\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	st := h.status(cfg)
	if len(st.Roles) != 2 || st.Roles[0].AccessKeyID != a1 || !st.Roles[0].Valid {
		t.Errorf("after the invalid file the agent holds %+v, want role a with %s as before", st.Roles, a1)
	}
	writeHCL(t, h.work, "brs.hcl", changed)
	if got := akid(t, h.run(nil, "-c", cfg, "credential-process", "a")); got != a1 {
		t.Errorf("role a after the file was fixed: %s, want %s", got, a1)
	}
}

// TestAgentOtherEnvironment: a command whose AWS_* variables differ from the agent's
// gets a host of its own in the agent rather than credentials derived from the
// agent's environment; so does a command that differs in a variable the agent itself
// reads while loading (env() in the file): the agent loads that host in the
// command's environment instead of sending it in-process.
func TestAgentOtherEnvironment(t *testing.T) {
	h := newAgentHarness(t)
	cfg := writeHCL(t, h.work, "brs.hcl", oneRole("a"))
	first := akid(t, h.run(nil, "-c", cfg, "credential-process", "a"))
	if got := akid(t, h.run(nil, "-c", cfg, "credential-process", "a")); got != first {
		t.Fatalf("same environment: %s, want the agent's %s", got, first)
	}
	r := h.run([]string{"AWS_PROFILE=other"}, "-c", cfg, "credential-process", "a")
	other := akid(t, r)
	if other == first || strings.Contains(r.stderr, "not using the agent") {
		t.Errorf("AWS_PROFILE=other: got %s (first host's %s), want credentials of another host of the agent:\n%s", other, first, r.stderr)
	}
	if got := akid(t, h.run([]string{"AWS_PROFILE=other", "AWS_DATA_PATH=/cli", "TERM=dumb"}, "-c", cfg, "credential-process", "a")); got != other {
		t.Errorf("AWS_PROFILE=other with client variables: %s, want that host's %s", got, other)
	}
	st := h.run(nil, "agent", "status")
	if st.code != 0 || strings.Count(st.stdout, cfg) != 2 || !strings.Contains(st.stdout, "AWS_PROFILE") || strings.Contains(st.stdout, "=other") {
		t.Errorf("agent status: want two hosts of %s naming AWS_PROFILE and no value:\n%s", cfg, st.stdout)
	}
	envCfg := writeHCL(t, h.work, "env.hcl", strings.Replace(oneRole("a"), `role "a" {`, `role "a" {`+"\n  region = env(\"TEST_REGION_X\", \"us-east-1\")", 1))
	r = h.run([]string{"TEST_REGION_X=eu-west-1"}, "-c", envCfg, "env", "a")
	if r.code != 0 || strings.Contains(r.stderr, "not using the agent") || !strings.Contains(r.stdout, "AWS_REGION='eu-west-1'") {
		t.Errorf("env() variable differs from the agent's: want the agent's host for it, with the command's region:\n%s\n%s", r.stdout, r.stderr)
	}
	st = h.run(nil, "agent", "status")
	if !strings.Contains(st.stdout, envCfg) || !strings.Contains(st.stdout, "TEST_REGION_X") || strings.Contains(st.stdout, "eu-west-1") {
		t.Errorf("agent status: want a host of %s naming TEST_REGION_X and not its value:\n%s", envCfg, st.stdout)
	}
}

// TestAgentIdleExit: an agent with no client for its idle time exits, and stops its
// plugin.
func TestAgentIdleExit(t *testing.T) {
	h := newAgentHarness(t, "BRS_AGENT_IDLE=1s")
	cfg := writeHCL(t, h.work, "brs.hcl", oneRole("a"))
	akid(t, h.run(nil, "-c", cfg, "credential-process", "a"))
	st := h.status(cfg)
	if st.Agent == nil || len(st.Agent.Plugins) != 1 || st.Agent.Plugins[0].PID == 0 {
		t.Fatalf("status: %+v, want an agent with a running plugin", st)
	}
	proctest.WaitGone(t, st.Agent.PID)
	proctest.WaitGone(t, st.Agent.Plugins[0].PID)
	if !strings.Contains(h.logText(), "no client for the idle time") {
		t.Errorf("the log does not say why the agent stopped:\n%s", h.logText())
	}
}

// TestAgentStopClosesPlugins: brs agent stop waits for the agent to exit, and its
// plugins exit with it.
func TestAgentStopClosesPlugins(t *testing.T) {
	h := newAgentHarness(t)
	cfg := writeHCL(t, h.work, "brs.hcl", testRoles)
	akid(t, h.run(nil, "-c", cfg, "credential-process", "a"))
	st := h.status(cfg)
	r := h.run(nil, "agent", "stop")
	if r.code != 0 || !strings.Contains(r.stdout, "stopped the agent (pid "+strconv.Itoa(st.Agent.PID)+")") {
		t.Fatalf("agent stop: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if processAlive(st.Agent.PID) || processAlive(st.Agent.Plugins[0].PID) {
		t.Errorf("after stop: agent %d alive %v, plugin %d alive %v", st.Agent.PID, processAlive(st.Agent.PID),
			st.Agent.Plugins[0].PID, processAlive(st.Agent.Plugins[0].PID))
	}
	if _, err := os.Stat(h.socket); err == nil {
		t.Errorf("the socket %s is still there after stop", h.socket)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// TestAgentCredentialProcessLoop is TestCredentialProcessLoop through the agent: the
// agent's sts plugin finds its base credentials in a profile whose credential_process
// is brs for the same role. The nested brs does not ask the agent (which would wait
// on the very refresh that started it) but runs in-process, where the next level
// detects the loop; the command fails quickly, and the agent's log says why.
func TestAgentCredentialProcessLoop(t *testing.T) {
	h := newAgentHarness(t, "AWS_PROFILE=p", "AWS_EC2_METADATA_DISABLED=true")
	cfg := writeHCL(t, h.work, "brs.hcl", `plugin "sts" {
  command = "`+plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts")+`"
}
role "p" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = "http://127.0.0.1:9"
  config {
    role_arn = "arn:aws:iam::123456789012:role/p"
  }
}
`)
	runs, stderrs := filepath.Join(h.work, "runs"), filepath.Join(h.work, "nested-stderr")
	writeHCL(t, h.work, ".aws/config", "[profile p]\ncredential_process = sh -c 'echo run >> "+runs+"; exec "+h.brs+" -c "+cfg+
		" credential-process p 2>&1 | tee -a "+stderrs+" >&2'\n")
	start := time.Now()
	r := h.run(nil, "-c", cfg, "credential-process", "p")
	took := time.Since(start)
	b, _ := os.ReadFile(runs)
	// The nested runs' stderr is the agent's plugin's: the command's error points at
	// the agent's log.
	nested, _ := os.ReadFile(stderrs)
	if r.code == 0 || !strings.Contains(r.stderr, "the agent's log") || !strings.Contains(string(nested), "brs: credential loop: role \"p\"") {
		t.Errorf("exit %d, want a failure pointing at the agent's log; the nested runs must name the loop\nstderr:\n%s\nnested:\n%s\nlog:\n%s",
			r.code, r.stderr, nested, h.logText())
	}
	if n := strings.Count(string(b), "run"); n != 2 {
		t.Errorf("the credential_process line ran %d times, want 2 (in-process under the agent, then the loop)", n)
	}
	if took > 30*time.Second {
		t.Errorf("took %v to fail", took)
	}
}
