package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/fakests"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/ptytest"
)

// TestMFAPromptE2E: a session role with mfa_serial and no mfa_token_command, run by
// the real brs binary on a real pseudo-terminal, as a user in a terminal window runs
// it: the session plugin (a process group of its own) asks for the code on the
// terminal, the test types it, the verifying fake STS accepts it, and a role chained
// on the session, whose trust policy requires MFA, gets credentials through `brs
// credential-process`; the code is not echoed. Through the agent, which has no
// terminal, the same command fails with an error that says what to do.
func TestMFAPromptE2E(t *testing.T) {
	const code = "271828"
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

	// Through the agent (started detached, without a terminal): a clear error.
	r := h.run(nil, "-c", cfg, "credential-process", "r1")
	if r.code == exitOK || !strings.Contains(r.stderr, "no terminal to ask on") || !strings.Contains(r.stderr, "set mfa_token_command") || !strings.Contains(r.stderr, `"mfa"`) {
		t.Errorf("through the agent: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	t.Logf("through the agent: %s", r.stderr)
}
