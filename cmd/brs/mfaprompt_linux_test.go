package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/fakests"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/ptytest"
)

// mfaSetup starts a verifying fake STS whose MFA device's first code is 271828,
// and writes a config of a session role "mfa" with that device and no
// mfa_token_command, and a role "r1" chained on it whose trust policy requires MFA.
func mfaSetup(t *testing.T) (*agentHarness, *fakests.Verifying, string) {
	t.Helper()
	role := "arn:aws:iam::444455556666:role/r1"
	f := fakests.StartVerifying(t, fakests.VerifyingOptions{
		Users:     map[string]string{e2eUserID: e2eUserSecret},
		MFASerial: e2eMFASerial, MFAStart: 271828, MFARoles: []string{role},
	})
	h := newAgentHarness(t, "AWS_ACCESS_KEY_ID="+e2eUserID, "AWS_SECRET_ACCESS_KEY="+e2eUserSecret, "AWS_EC2_METADATA_DISABLED=true")
	h.env = append(h.env, "AWS_CONFIG_FILE="+filepath.Join(h.work, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(h.work, "none"))
	cfg := writeHCL(t, h.work, "brs.hcl", fmt.Sprintf(`plugin "session" {
  command = %q
}
plugin "sts" {
  command = %q
}

role "mfa" {
  source   = "session"
  region   = "us-east-1"
  endpoint = %q
  config {
    mfa_serial = %q
  }
}

role "r1" {
  source      = "sts"
  source_role = "mfa"
  endpoint    = %q
  config {
    role_arn = %q
  }
}
`, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-session"), plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts"),
		f.URL, e2eMFASerial, f.URL, role))
	return h, f, cfg
}

// TestMFAPromptE2E: a session role with mfa_serial and no mfa_token_command, run by
// the real brs binary on a real pseudo-terminal, as a user in a terminal window runs
// it: the session plugin (a process group of its own) asks for the code on the
// terminal, the test types it, the verifying fake STS accepts it, and a role chained
// on the session, whose trust policy requires MFA, gets credentials through `brs
// credential-process`; the code is not echoed. Through the agent, which has no
// terminal, the same command fails with an error that says what to do.
func TestMFAPromptE2E(t *testing.T) {
	const code = "271828"
	h, f, cfg := mfaSetup(t)
	p := ptytest.Open(t)
	cmd := exec.Command(h.brs, "-c", cfg, "credential-process", "r1")
	cmd.Env, cmd.Dir = append(append([]string(nil), h.env...), "BRS_AGENT=off"), h.work
	var stdout bytes.Buffer
	cmd.Stdout = &stdout // stderr goes to the terminal, as in a terminal window
	wait := p.Run(cmd)
	p.WaitFor("MFA code for "+e2eMFASerial+": ", time.Minute)
	p.Type(code + "\n")
	if err := wait(time.Minute); err != nil {
		t.Fatalf("credential-process: %v\nterminal:\n%s", err, p.Output())
	}
	if k := akidOf(stdout.String()); !strings.HasPrefix(k, "ASIA") {
		t.Errorf("credential-process printed %q, want credentials", stdout.String())
	}
	if f.Calls("GetSessionToken") != 1 || f.Calls("AssumeRole") != 1 {
		t.Errorf("%d GetSessionToken and %d AssumeRole calls, want 1 each", f.Calls("GetSessionToken"), f.Calls("AssumeRole"))
	}
	for _, form := range f.Requests() {
		if form.Get("Action") == "GetSessionToken" && form.Get("TokenCode") != code {
			t.Errorf("GetSessionToken sent TokenCode %q, want the typed %s", form.Get("TokenCode"), code)
		}
	}
	if strings.Contains(p.Output(), code) {
		t.Errorf("the code was echoed: the terminal showed %q", p.Output())
	}

	// Through the agent (started detached), from a caller without a terminal (a
	// script): nobody to ask, a clear error.
	r := h.runNoTTY("-c", cfg, "credential-process", "r1")
	if r.code == exitOK || !strings.Contains(r.stderr, "no terminal to ask on") || !strings.Contains(r.stderr, "set mfa_token_command") || !strings.Contains(r.stderr, `"mfa"`) {
		t.Errorf("through the agent, without a terminal: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	t.Logf("through the agent, without a terminal: %s", r.stderr)

	// Through the agent from a terminal, as the AWS CLI runs a credential_process
	// line in a terminal window: the fast client asks for the agent's session
	// plugin, which has no terminal, and the agent holds the chain.
	const code2 = "271829" // the device's next code
	fast := exec.Command(plugintestbin.Build(t, fastClientPkg), "-c", cfg, "r1")
	fast.Env, fast.Dir = append([]string(nil), h.env...), h.work
	stdout.Reset()
	fast.Stdout = &stdout
	wait = p.Run(fast)
	p.WaitForCount("MFA code for "+e2eMFASerial+": ", 2, time.Minute)
	p.Type(code2 + "\n")
	if err := wait(time.Minute); err != nil {
		t.Fatalf("brs-credential-process through the agent: %v\nterminal:\n%s", err, p.Output())
	}
	k := akidOf(stdout.String())
	if !strings.HasPrefix(k, "ASIA") {
		t.Fatalf("brs-credential-process through the agent printed %q, want credentials\nterminal:\n%s", stdout.String(), p.Output())
	}
	if f.Calls("GetSessionToken") != 2 || f.Calls("AssumeRole") != 2 {
		t.Errorf("%d GetSessionToken and %d AssumeRole calls, want 2 each", f.Calls("GetSessionToken"), f.Calls("AssumeRole"))
	}
	if strings.Contains(p.Output(), code2) {
		t.Errorf("the code was echoed: the terminal showed %q", p.Output())
	}
	// The script, once more: the agent's credentials, no prompt, no new call.
	if r := h.runNoTTY("-c", cfg, "credential-process", "r1"); r.code != exitOK || akidOf(r.stdout) != k {
		t.Errorf("a caller without a terminal after the prompt: exit %d, key %q (want %q), stderr:\n%s", r.code, akidOf(r.stdout), k, r.stderr)
	}
	if f.Calls("GetSessionToken") != 2 {
		t.Errorf("%d GetSessionToken calls after the agent had the session, want 2", f.Calls("GetSessionToken"))
	}

	// brs refresh on the terminal asks again for the session role: the agent's
	// hosts have no terminal, the client does.
	ref := exec.Command(h.brs, "-c", cfg, "refresh", "mfa")
	ref.Env, ref.Dir = append([]string(nil), h.env...), h.work
	wait = p.Run(ref)
	p.WaitForCount("MFA code for "+e2eMFASerial+": ", 3, time.Minute)
	p.Type("271830\n")
	if err := wait(time.Minute); err != nil {
		t.Fatalf("brs refresh through the agent: %v\nterminal:\n%s", err, p.Output())
	}
	if f.Calls("GetSessionToken") != 3 {
		t.Errorf("%d GetSessionToken calls after brs refresh, want 3", f.Calls("GetSessionToken"))
	}
}

// runNoTTY runs brs in a session of its own, without a controlling terminal, as a
// script or service runs it, whatever terminal the test runs in.
func (h *agentHarness) runNoTTY(args ...string) result {
	h.t.Helper()
	return h.runBin(h.brs, &syscall.SysProcAttr{Setsid: true}, nil, args...)
}

// TestMFAPromptAWSCLI: AWS CLI v2 in a terminal window, with a credential_process
// line that runs brs for a role chained on an MFA session: the agent's session
// plugin has no terminal, so the question appears on the CLI's terminal (brs, the
// CLI's child, asks it there), the typed code is not echoed, the CLI gets the role's
// credentials, and a script without a terminal then gets the same ones from the
// agent without a question.
func TestMFAPromptAWSCLI(t *testing.T) {
	_, awsV2 := awsCLIs(t)
	const code = "271828"
	h, f, cfg := mfaSetup(t)
	awsConfig := filepath.Join(h.work, "aws-config")
	if err := os.WriteFile(awsConfig, []byte("[profile p]\ncredential_process = "+h.brs+" -c "+cfg+" credential-process r1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(append([]string(nil), h.env...), "AWS_CONFIG_FILE="+awsConfig, "AWS_PAGER=")

	p := ptytest.Open(t)
	cli := exec.Command(awsV2, "configure", "list", "--profile", "p")
	cli.Env, cli.Dir = env, h.work
	var out bytes.Buffer
	cli.Stdout = &out
	wait := p.Run(cli)
	p.WaitFor("MFA code for "+e2eMFASerial+": ", 2*time.Minute)
	p.Type(code + "\n")
	if err := wait(2 * time.Minute); err != nil {
		t.Fatalf("aws configure list: %v\nterminal:\n%s", err, p.Output())
	}
	if strings.Contains(p.Output(), code) {
		t.Errorf("the code was echoed: the terminal showed %q", p.Output())
	}
	h.env = env
	r := h.runNoTTY("-c", cfg, "credential-process", "r1")
	k := akidOf(r.stdout)
	if r.code != exitOK || !strings.HasPrefix(k, "ASIA") {
		t.Fatalf("a script after the CLI: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(out.String(), k[len(k)-4:]) || !strings.Contains(out.String(), "custom-process") {
		t.Errorf("aws configure list shows another key than the agent's %s:\n%s", k, out.String())
	}
	if f.Calls("GetSessionToken") != 1 || f.Calls("AssumeRole") != 1 {
		t.Errorf("%d GetSessionToken and %d AssumeRole calls, want 1 each", f.Calls("GetSessionToken"), f.Calls("AssumeRole"))
	}
}
