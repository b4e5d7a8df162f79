//go:build unix

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestRolesAnywhereEndToEnd runs a roles_anywhere role through the real brs binary
// and the real plugin against fakerolesanywhere (a fake CreateSession that verifies
// the AWS4-X509 signature and the chain to its trust anchor; no real server exists
// here): `brs credential-process` with the agent on, twice from a shell and once
// from a Go program (aws-sdk-go-v2) through a credential_process profile, serves one
// CreateSession; `brs exec` gives a Go program the role's credentials through the
// container endpoint.
func TestRolesAnywhereEndToEnd(t *testing.T) {
	ca := fake.NewCA(t, "e2e trust anchor")
	f := fake.Start(t, fake.Config{Anchor: ca})
	inter := ca.Intermediate(t, "e2e issuing CA")
	id := inter.Issue(t, fake.Leaf{})

	h := newAgentHarness(t, "AWS_EC2_METADATA_DISABLED=true")
	pki := filepath.Join(h.work, "pki")
	if err := os.Mkdir(pki, 0o700); err != nil {
		t.Fatal(err)
	}
	cert := fake.WriteFile(t, pki, "workload.pem", append(append([]byte{}, id.CertPEM...), inter.PEM...))
	key := fake.WriteFile(t, pki, "workload.key", id.TraditionalKeyPEM(t))
	cfg := writeHCL(t, h.work, "brs.hcl", `plugin "roles_anywhere" {
  command = "`+plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-roles_anywhere")+`"
}

role "workload" {
  source   = "roles_anywhere"
  endpoint = "`+f.URL+`"
  config {
    certificate      = "`+cert+`"
    private_key      = "`+key+`"
    trust_anchor_arn = "`+f.TrustAnchorARN+`"
    profile_arn      = "`+f.ProfileARN+`"
    role_arn         = "`+fake.DefaultRole+`"
  }
}
`)
	// Every run, from the shell or through the profile, has the same AWS_* variables
	// (the Go SDK selects a profile only with AWS_PROFILE), so one agent host serves
	// them all.
	awsConfig := filepath.Join(h.work, "aws-config")
	if err := os.WriteFile(awsConfig, []byte("[profile ra]\ncredential_process = "+h.brs+" -c "+cfg+" credential-process workload\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.env = append(h.env, "AWS_CONFIG_FILE="+awsConfig, "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(h.work, "none"), "AWS_PROFILE=ra")

	first := akid(t, h.run(nil, "-c", cfg, "credential-process", "workload"))
	if calls := f.Calls(); len(calls) != 1 || calls[0].AccessKeyID != first || calls[0].Chain != 1 {
		t.Fatalf("fake calls %+v, want one that issued %s with the intermediate", calls, first)
	}
	if h.agentPID() == 0 {
		t.Fatal("credential-process started no agent")
	}
	if got := akid(t, h.run(nil, "-c", cfg, "credential-process", "workload")); got != first {
		t.Errorf("second credential-process got %s, want the agent's %s", got, first)
	}

	sdk := plugintestbin.Build(t, sdkChildPkg)
	goProgram := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir = h.work
		cmd.Env = h.env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := goProgram(sdk, "key"); !strings.Contains(out, "key="+first) {
		t.Errorf("the Go program got %q through credential_process, want %s", out, first)
	}
	if n := len(f.Calls()); n != 1 {
		t.Errorf("%d CreateSession calls for three credential-process runs with the agent on, want 1", n)
	}

	// brs exec: the child's SDK reads the container endpoint brs serves.
	out := goProgram(h.brs, "-c", cfg, "exec", "workload", "--", sdk, "key")
	calls := f.Calls()
	if !strings.Contains(out, "key="+calls[len(calls)-1].AccessKeyID) || !strings.Contains(out, "source=CredentialsEndpointProvider") {
		t.Errorf("brs exec: the Go child printed %q, want a key the fake issued (%+v) from the container endpoint", out, calls)
	}
}
