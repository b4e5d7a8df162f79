//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/stsproxy"
)

// countingSTS starts a reverse proxy in front of MinIO that counts the AssumeRole
// calls passing through it (internal/testutil/stsproxy).
func countingSTS(t *testing.T, backend string) (string, *atomic.Int64) {
	t.Helper()
	p := stsproxy.Start(t, backend)
	return p.URL, p.Counter("AssumeRole")
}

// stsAgent is an agent harness and a config whose role "app" assumes a role at MinIO
// through a counting proxy, signed with MinIO's root keys from the environment; extra
// holds more lines of the role's config block, with {{work}} for the harness's
// directory.
func stsAgent(t *testing.T, extra ...string) (*agentHarness, string, *atomic.Int64) {
	t.Helper()
	if _, err := miniotest.Binary(); err != nil {
		t.Fatalf("this test needs MinIO: %v", err)
	}
	srv := miniotest.Start(t)
	front, n := countingSTS(t, srv.Endpoint)
	h := newAgentHarness(t,
		"AWS_ACCESS_KEY_ID="+miniotest.RootUser, "AWS_SECRET_ACCESS_KEY="+miniotest.RootPassword,
		"AWS_EC2_METADATA_DISABLED=true")
	h.env = append(h.env, "AWS_CONFIG_FILE="+filepath.Join(h.work, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(h.work, "none"))
	cfg := writeHCL(t, h.work, "brs.hcl", `plugin "sts" {
  command = "`+plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts")+`"
}

role "app" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = "`+front+`"
  config {
    role_arn = "arn:aws:iam::123456789012:role/app"
    duration = "1h"
`+strings.ReplaceAll(strings.Join(extra, "\n"), "{{work}}", h.work)+`
  }
}
`)
	return h, cfg, n
}

// TestAgentOneAssumeRolePerLifetime: 1,000 sequential credential-process calls
// within one credential lifetime make exactly one AssumeRole call, counted at a
// proxy in front of MinIO; every call prints the same credentials.
func TestAgentOneAssumeRolePerLifetime(t *testing.T) {
	h, cfg, n := stsAgent(t)
	first := akid(t, h.run(nil, "-c", cfg, "credential-process", "app"))
	for i := 1; i < 1000; i++ {
		r := h.run(nil, "-c", cfg, "credential-process", "app")
		if got := akid(t, r); got != first {
			t.Fatalf("call %d: %s, want %s", i+1, got, first)
		}
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d AssumeRole calls for 1,000 credential-process calls, want 1", got)
	}
}

// TestAgentConcurrentCold: 50 credential-process calls at once, with no agent
// running, all succeed with the same credentials, from one AssumeRole call.
func TestAgentConcurrentCold(t *testing.T) {
	h, cfg, n := stsAgent(t)
	const calls = 50
	keys := make([]string, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.run(nil, "-c", cfg, "credential-process", "app")
			if r.code != 0 {
				t.Errorf("call %d: exit %d\n%s", i, r.code, r.stderr)
				return
			}
			keys[i] = akidOf(r.stdout)
		}()
	}
	wg.Wait()
	for i, k := range keys {
		if k == "" || k != keys[0] {
			t.Errorf("call %d: key %q, call 0: %q", i, k, keys[0])
		}
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d AssumeRole calls for %d concurrent credential-process calls on a cold agent, want 1", got, calls)
	}
}

// TestAgentMFAOncePerLifetime: a role with an MFA device runs its mfa_token_command
// when the agent refreshes, once per credential lifetime, not once per command: 20
// credential-process calls through the agent run it once, with one AssumeRole call.
func TestAgentMFAOncePerLifetime(t *testing.T) {
	h, cfg, n := stsAgent(t,
		`    mfa_serial        = "arn:aws:iam::123456789012:mfa/dev"`,
		`    mfa_token_command = "echo run >> {{work}}/mfa-runs; echo 123456"`)
	runs := filepath.Join(h.work, "mfa-runs")
	first := akid(t, h.run(nil, "-c", cfg, "credential-process", "app"))
	for i := 1; i < 20; i++ {
		if got := akid(t, h.run(nil, "-c", cfg, "credential-process", "app")); got != first {
			t.Fatalf("call %d: %s, want %s", i+1, got, first)
		}
	}
	b, err := os.ReadFile(runs)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "run"); got != 1 {
		t.Errorf("mfa_token_command ran %d times for 20 commands, want 1", got)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d AssumeRole calls, want 1", got)
	}
}
