//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// BenchmarkCredentialProcessAgent is `brs credential-process ROLE` as the AWS CLI runs
// it, side by side in one run: through a warm agent (one process start and one socket
// round trip) and with BRS_AGENT=off (load, plugin start, refresh, stop: today's
// path). Each exec is a real brs process; the role is the test plugin's, which
// answers at once, so what is measured is brs. brs-version is the floor: the same
// binary starting and exiting.
func BenchmarkCredentialProcessAgent(b *testing.B) {
	brs, env, cfg, stop := agentBenchSetup(b, 1)
	defer stop()
	cp := []string{"-c", cfg, "credential-process", "r0"}
	for _, mode := range []struct {
		name string
		env  []string
		args []string
	}{
		{"agent-warm", nil, cp},
		{"agent-off", []string{"BRS_AGENT=off"}, cp},
		// The floor: the same binary starting and exiting, with no work.
		{"brs-version", nil, []string{"--version"}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			if mode.name == "agent-warm" { // warm the agent: it loads the file and fetches once
				benchExec(b, brs, env, cp...)
			}
			env := append(append([]string(nil), env...), mode.env...)
			var ds []time.Duration
			var cpu time.Duration
			for b.Loop() {
				start := time.Now()
				cpu += benchExecCPU(b, brs, env, mode.args...)
				ds = append(ds, time.Since(start))
			}
			reportP50(b, ds)
			// The brs process's own CPU time (user+system): on a busy machine it moves
			// far less than the wall time does.
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(ds)), "brs-cpu-ms/op")
		})
	}
}

// BenchmarkAgentRSS100Roles reports the agent's resident memory with 100 roles of
// the test plugin, each fetched once through the agent, then idle.
func BenchmarkAgentRSS100Roles(b *testing.B) {
	brs, env, cfg, stop := agentBenchSetup(b, 100)
	defer stop()
	for b.Loop() {
		for i := range 100 {
			benchExec(b, brs, env, "-c", cfg, "credential-process", "r"+strconv.Itoa(i))
		}
	}
	out := benchExec(b, brs, env, "agent", "status")
	pid := 0
	for line := range strings.SplitSeq(out, "\n") {
		if v, ok := strings.CutPrefix(line, "pid"); ok {
			pid, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatalf("agent pid %d: %v", pid, err)
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			b.ReportMetric(float64(kb)/1024, "agent-RSS-MiB")
		}
	}
}

// agentBenchSetup writes a file of n roles of the test plugin (r0…) and returns the
// brs binary, an environment with an agent socket of its own, the file, and a
// function that stops the agent.
func agentBenchSetup(b *testing.B, n int) (brs string, env []string, cfg string, stop func()) {
	b.Helper()
	sock, err := os.MkdirTemp("", "brs-agent-")
	if err != nil {
		b.Fatal(err)
	}
	work := b.TempDir()
	var src strings.Builder
	fmt.Fprintf(&src, "plugin \"test\" {\n  command = %q\n}\n", plugintestbin.Build(b, testPluginPkg))
	for i := range n {
		fmt.Fprintf(&src, "role \"r%d\" {\n  source = \"test\"\n}\n", i)
	}
	cfg = work + "/brs.hcl"
	if err := os.WriteFile(cfg, []byte(src.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BRS_") && !strings.HasPrefix(kv, "XDG_") {
			env = append(env, kv)
		}
	}
	env = append(env, "BRS_AGENT_SOCKET="+sock+"/agent.sock", "XDG_STATE_HOME="+work)
	brs = plugintestbin.Build(b, brsPkg)
	return brs, env, cfg, func() {
		benchExec(b, brs, env, "agent", "stop")
		os.RemoveAll(sock)
	}
}

func benchExec(b *testing.B, brs string, env []string, args ...string) string {
	b.Helper()
	cmd := exec.Command(brs, args...)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("brs %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// benchExecCPU runs brs as benchExec does and returns the CPU time the process used.
func benchExecCPU(b *testing.B, brs string, env []string, args ...string) time.Duration {
	b.Helper()
	cmd := exec.Command(brs, args...)
	cmd.Env = env
	if out, err := cmd.Output(); err != nil {
		b.Fatalf("brs %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}
