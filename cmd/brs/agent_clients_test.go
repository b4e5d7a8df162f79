//go:build unix

package main

import (
	"context"
	"fmt"
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

// awsCLIs returns the AWS CLI v1 (the "aws" on PATH, from pip) and v2 (Debian's
// package, /usr/bin/aws), each checked by its --version.
func awsCLIs(t *testing.T) (v1, v2 string) {
	t.Helper()
	v1 = needtool.Path(t, "aws", "pip install awscli (AWS CLI v1)")
	if out, err := exec.Command(v1, "--version").CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "aws-cli/1.") {
		needtool.Missing(t, fmt.Sprintf("the aws on PATH is not AWS CLI v1 (%q, %v)", out, err), "pip install awscli")
	}
	v2 = "/usr/bin/aws"
	if out, err := exec.Command(v2, "--version").CombinedOutput(); err != nil || !strings.HasPrefix(string(out), "aws-cli/2.") {
		needtool.Missing(t, fmt.Sprintf("%s is not AWS CLI v2 (%q, %v)", v2, out, err), needtool.AWSCLI+" (Debian 12's awscli is v2)")
	}
	return v1, v2
}

// TestAgentMixedClientsOneHost: the AWS CLI v1 and v2 (each adds AWS_DATA_PATH for
// its credential_process child), a boto3 script, a Go program (aws-sdk-go-v2) and a
// shell script with its own TERM and AWS_PAGER all call `brs credential-process`
// through one profile: one agent host serves them all, with one AssumeRole at MinIO,
// counted at a proxy. Shells with another AWS_SHARED_CREDENTIALS_FILE, another
// HTTPS_PROXY (which the sts source declares) or another VAULT_NAMESPACE (which the
// file gives env()) get a host and credentials of their own, an AssumeRole each.
func TestAgentMixedClientsOneHost(t *testing.T) {
	awsV1, awsV2 := awsCLIs(t)
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
    role_arn     = "arn:aws:iam::123456789012:role/app"
    duration     = "1h"
    profile      = "base"
    session_name = env("VAULT_NAMESPACE", "brs")
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
	// A shell script, as a user's own would run it.
	script := filepath.Join(h.work, "creds.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexec "+h.brs+" -c "+cfg+" credential-process app\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	shell := func(env ...string) string {
		t.Helper()
		return keyRE.FindString(client(env, "/bin/sh", "-c", script+" | tr -d ' '"))
	}
	first := shell("TERM=xterm-256color", "AWS_PAGER=")
	if first == "" {
		t.Fatal("the shell script got no access key")
	}
	for round := range 2 {
		// aws configure list resolves the profile's credentials (running
		// credential_process) and shows the key's last four characters.
		for _, cli := range []string{awsV1, awsV2} {
			if out := client(nil, cli, "configure", "list"); !strings.Contains(out, first[len(first)-4:]) {
				t.Errorf("round %d: %s shows another key than %s:\n%s", round, cli, first, out)
			}
		}
		out := client(nil, python, "-c", "import boto3; print(boto3.Session().get_credentials().get_frozen_credentials().access_key)")
		if got := keyRE.FindString(out); got != first {
			t.Errorf("round %d: boto3 got %q, want %s", round, out, first)
		}
		if out := client(nil, sdk, "key"); !strings.Contains(out, "key="+first) {
			t.Errorf("round %d: the Go program got %q, want %s", round, out, first)
		}
		if got := shell("TERM=dumb", "AWS_DEFAULT_OUTPUT=json", "AWS_CLI_AUTO_PROMPT=off", "VAULT_ADDR=http://unread"); got != first {
			t.Errorf("round %d: the shell got %s, want %s", round, got, first)
		}
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d AssumeRole calls for 11 calls from AWS CLI v1 and v2, boto3, Go and shells, want 1", got)
	}
	// Environments whose credentials may differ: a host and an AssumeRole each.
	seen := map[string]string{first: "first"}
	for i, env := range []string{"AWS_SHARED_CREDENTIALS_FILE=" + other, "HTTPS_PROXY=http://proxy.invalid:3128", "VAULT_NAMESPACE=team"} {
		got := shell(env)
		if got == "" || seen[got] != "" {
			t.Errorf("%s got %q, the key of %q", env, got, seen[got])
		}
		seen[got] = env
		if c := n.Load(); c != int64(i+2) {
			t.Errorf("%d AssumeRole calls after %s, want %d", c, env, i+2)
		}
	}
	st := h.run(nil, "agent", "status")
	if strings.Count(st.stdout, cfg) != 4 || strings.Contains(st.stdout, other) || strings.Contains(st.stdout, "proxy.invalid") ||
		!strings.Contains(st.stdout, "HTTPS_PROXY") || !strings.Contains(st.stdout, "VAULT_NAMESPACE") || strings.Contains(st.stdout, "VAULT_ADDR") {
		t.Errorf("agent status: want four hosts of %s, naming HTTPS_PROXY and VAULT_NAMESPACE, not VAULT_ADDR, and no value:\n%s", cfg, st.stdout)
	}
}
