//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestAgentHealsWhenCredentialsFileChanges: the role's base keys come from an AWS
// credentials file with the wrong secret; MinIO refuses the AssumeRole and the role
// backs off ("next attempt in ..."). The user fixes the file under the running agent,
// and the very next call succeeds: the agent saw the file change, and loaded the
// host afresh (new plugin, which reads the file again; no backoff).
func TestAgentHealsWhenCredentialsFileChanges(t *testing.T) {
	if _, err := miniotest.Binary(); err != nil {
		t.Fatalf("this test needs MinIO: %v", err)
	}
	srv := miniotest.Start(t)
	front, n := countingSTS(t, srv.Endpoint)
	h := newAgentHarness(t, "AWS_EC2_METADATA_DISABLED=true")
	creds := filepath.Join(h.work, "credentials")
	write := func(secret string) {
		t.Helper()
		if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = "+miniotest.RootUser+"\naws_secret_access_key = "+secret+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("not-the-root-secret")
	h.env = append(h.env, "AWS_CONFIG_FILE="+filepath.Join(h.work, "none"), "AWS_SHARED_CREDENTIALS_FILE="+creds)
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
  }
}
`)
	if r := h.run(nil, "-c", cfg, "credential-process", "app"); r.code == 0 {
		t.Fatalf("the wrong secret was accepted:\n%s", r.stdout)
	}
	// Unchanged file: the agent answers the failure again from its backoff, with no
	// new AssumeRole (so the next success is the fix's doing, not the backoff's end).
	before := n.Load()
	if r := h.run(nil, "-c", cfg, "credential-process", "app"); r.code == 0 || !strings.Contains(r.stderr, "next attempt in") {
		t.Fatalf("second call with the wrong secret: exit %d, want the backoff's failure:\n%s", r.code, r.stderr)
	}
	if got := n.Load(); got != before {
		t.Fatalf("%d AssumeRole calls while backing off, want none", got-before)
	}
	write(miniotest.RootPassword)
	r := h.run(nil, "-c", cfg, "credential-process", "app")
	if r.code != 0 || akidOf(r.stdout) == "" {
		t.Fatalf("after fixing the credentials file: exit %d, want credentials at once:\n%s", r.code, r.stderr)
	}
	if st := h.run(nil, "agent", "status"); !strings.Contains(st.stdout, "pid") {
		t.Errorf("the agent is not the one that answered: %s", st.stdout)
	}
}
