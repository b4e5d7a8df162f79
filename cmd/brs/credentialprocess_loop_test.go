//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestCredentialProcessLoop: ~/.aws/config has a profile whose credential_process is
// brs itself, for a role of the sts plugin, and AWS_PROFILE names that profile. The
// real brs credential-process runs the real sts plugin, whose default credential
// chain runs brs again; the brs that finds the role already being fetched above it
// fails at once, naming the role, the profile and the way out. Through the agent
// (the default), the agent's plugin runs brs, which works in-process and so reaches
// the next run: brs runs twice; without the agent, once. Never without end.
func TestCredentialProcessLoop(t *testing.T) {
	dir := t.TempDir()
	brs := copyExecutable(t, plugintestbin.Build(t, brsPkg), dir, "brs")
	copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts"), dir, "brs-plugin-sts")
	for _, tc := range []struct {
		name  string
		agent string
		runs  int
	}{{"agent", "on", 2}, {"in-process", "off", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			testCredentialProcessLoop(t, brs, tc.agent, tc.runs)
		})
	}
}

func testCredentialProcessLoop(t *testing.T, brs, agent string, wantRuns int) {
	home := t.TempDir()
	cfg := writeHCL(t, home, "brs.hcl", `role "p" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = "http://127.0.0.1:9"
  config {
    role_arn = "arn:aws:iam::123456789012:role/p"
  }
}
`)
	runs := filepath.Join(home, "runs")
	stderrs := filepath.Join(home, "inner-stderr")
	// Each run of the credential_process line is counted, and its stderr kept (and
	// passed on, as the outer brs reports it).
	writeHCL(t, home, ".aws/config", "[profile p]\ncredential_process = sh -c 'echo run >> "+runs+"; exec "+brs+" -c "+cfg+
		" credential-process p 2>&1 | tee -a "+stderrs+" >&2'\n")
	env := []string{"HOME=" + home, "AWS_PROFILE=p", "AWS_EC2_METADATA_DISABLED=true", "PATH=" + os.Getenv("PATH"),
		"BRS_AGENT=" + agent, "BRS_AGENT_SOCKET=" + filepath.Join(home, "agent", "agent.sock")}
	t.Cleanup(func() {
		stop := exec.Command(brs, "agent", "stop")
		stop.Env = env
		_ = stop.Run()
	})

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, brs, "-c", cfg, "credential-process", "p")
	cmd.Env = env
	// Its own process group, killed whole at the end, whatever it started.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if err == nil {
		t.Fatalf("credential-process succeeded: %s", stdout.String())
	}
	b, _ := os.ReadFile(runs)
	n := strings.Count(string(b), "run")
	t.Logf("brs failed after %v, with %d nested run(s):\n%s", took, n, stderr.String())
	if n != wantRuns {
		t.Fatalf("the credential_process line ran %d times, want %d", n, wantRuns)
	}
	inner, _ := os.ReadFile(stderrs)
	for _, want := range []string{"credential loop", `role "p" of ` + cfg, `profile "p" (from AWS_PROFILE)`, "env -u AWS_PROFILE"} {
		if !strings.Contains(string(inner), want) {
			t.Errorf("the nested brs's error lacks %q:\n%s", want, inner)
		}
	}
	if agent == "off" && !strings.Contains(stderr.String(), "credential loop") {
		t.Errorf("brs does not say why its plugin failed:\n%s", stderr.String())
	}
	if took > 20*time.Second {
		t.Errorf("brs took %v to fail", took)
	}
}
