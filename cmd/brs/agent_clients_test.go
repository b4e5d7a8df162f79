//go:build unix

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestAgentMixedClientsOneHost: the AWS CLI (which adds AWS_DATA_PATH for its
// credential_process child), a boto3 script, a Go program (aws-sdk-go-v2) and a
// shell with its own TERM and AWS_PAGER all call `brs credential-process` through
// one profile: one agent host serves them all, with one AssumeRole at MinIO, counted
// at a proxy. A shell with another AWS_SHARED_CREDENTIALS_FILE gets a host and
// credentials of its own (a second AssumeRole).
func TestAgentMixedClientsOneHost(t *testing.T) {
	awsCLI := needtool.Path(t, "aws", "apt-get install awscli (or pip install awscli)")
	python := needtool.Path(t, "python3", "apt-get install python3-boto3")
	if exec.Command(python, "-c", "import boto3").Run() != nil {
		needtool.Missing(t, "python3 with boto3", "apt-get install python3-boto3")
	}
	if _, err := miniotest.Binary(); err != nil {
		t.Fatalf("this test needs MinIO: %v", err)
	}
	srv := miniotest.Start(t)
	front, n := countingSTS(t, srv.Endpoint)
	h := newAgentHarness(t, "AWS_EC2_METADATA_DISABLED=true")
	// The base keys the sts plugin signs with are in a credentials file.
	keys := "[base]\naws_access_key_id = " + miniotest.RootUser + "\naws_secret_access_key = " + miniotest.RootPassword + "\n"
	creds := filepath.Join(h.work, "credentials")
	other := filepath.Join(h.work, "credentials-other")
	for _, p := range []string{creds, other} {
		if err := os.WriteFile(p, []byte(keys), 0o600); err != nil {
			t.Fatal(err)
		}
	}
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
    profile  = "base"
  }
}
`)
	awsConfig := filepath.Join(h.work, "aws-config")
	if err := os.WriteFile(awsConfig, []byte("[profile p]\ncredential_process = "+h.brs+" -c "+cfg+" credential-process app\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Every client selects the profile with AWS_PROFILE (the Go SDK has no other
	// way); the role signs with profile "base", so there is no loop.
	h.env = append(h.env, "AWS_CONFIG_FILE="+awsConfig, "AWS_SHARED_CREDENTIALS_FILE="+creds, "AWS_PROFILE=p")
	sdk := plugintestbin.Build(t, "github.com/brs-go/brs/internal/testutil/sdkchild")

	client := func(env []string, name string, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = h.work
		cmd.Env = append(append([]string(nil), h.env...), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	keyRE := regexp.MustCompile(`[A-Z0-9]{16,}`)
	shell := func(env ...string) string {
		t.Helper()
		return akid(t, h.run(env, "-c", cfg, "credential-process", "app"))
	}
	first := shell("TERM=xterm-256color", "AWS_PAGER=")
	for round := range 2 {
		// aws configure list resolves the profile's credentials (running
		// credential_process) and shows the key's last four characters.
		if out := client(nil, awsCLI, "configure", "list"); !strings.Contains(out, first[len(first)-4:]) {
			t.Errorf("round %d: the AWS CLI shows another key than %s:\n%s", round, first, out)
		}
		out := client(nil, python, "-c", "import boto3; print(boto3.Session().get_credentials().get_frozen_credentials().access_key)")
		if got := keyRE.FindString(out); got != first {
			t.Errorf("round %d: boto3 got %q, want %s", round, out, first)
		}
		if out := client(nil, sdk, "key"); !strings.Contains(out, "key="+first) {
			t.Errorf("round %d: the Go program got %q, want %s", round, out, first)
		}
		if got := shell("TERM=dumb", "AWS_DEFAULT_OUTPUT=json", "AWS_CLI_AUTO_PROMPT=off"); got != first {
			t.Errorf("round %d: the shell got %s, want %s", round, got, first)
		}
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d AssumeRole calls for 9 calls from the AWS CLI, boto3, Go and shells, want 1", got)
	}
	// Another credentials file: its own host, its own AssumeRole.
	if got := shell("AWS_SHARED_CREDENTIALS_FILE=" + other); got == first {
		t.Errorf("another AWS_SHARED_CREDENTIALS_FILE got the first host's %s", got)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("%d AssumeRole calls after a second credential environment, want 2", got)
	}
	st := h.run(nil, "agent", "status")
	if strings.Count(st.stdout, cfg) != 2 || strings.Contains(st.stdout, other) {
		t.Errorf("agent status: want two hosts of %s, naming no value:\n%s", cfg, st.stdout)
	}
}
