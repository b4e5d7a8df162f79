package main

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/fakesaml"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestSAMLE2E: a saml role, whose saml_command prints an assertion signed by a test
// identity provider offering two roles, is fetched through `brs credential-process`
// (agent on) several times and through `brs exec` with a real Go SDK child. STS is
// fakesaml.STS: a fake (no real server here verifies SAML) that checks the signature,
// audience and time window as AWS does. The command runs once for the agent's
// credentials and once for exec's host; the assertion, which the command also writes
// to its standard error, is in no output of brs (at log level trace, which logs that
// standard error) and no file under HOME or the agent's state directory (its log).
func TestSAMLE2E(t *testing.T) {
	const (
		provider = "arn:aws:iam::111122223333:saml-provider/okta"
		dev      = "arn:aws:iam::111122223333:role/dev"
		other    = "arn:aws:iam::111122223333:role/other"
	)
	idp := fakesaml.NewIdP(t, "https://idp.example.com")
	f := fakesaml.Start(t, fakesaml.Options{Providers: map[string]fakesaml.Provider{provider: idp.Provider()}})
	h := newAgentHarness(t, "AWS_EC2_METADATA_DISABLED=true", "BRS_AGENT_LOG_LEVEL=trace")
	h.env = append(h.env, "AWS_CONFIG_FILE="+filepath.Join(h.work, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(h.work, "none"))

	// The IdP's answer lives outside HOME, as a browser helper's would be in memory.
	idpDir := t.TempDir()
	response, runs := filepath.Join(idpDir, "response"), filepath.Join(idpDir, "runs")
	b64 := idp.Response(t, fakesaml.Assertion{Roles: []string{dev + "," + provider, provider + "," + other}, Issued: time.Now(), Lifetime: 10 * time.Minute})
	if err := os.WriteFile(response, []byte(b64), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := writeHCL(t, h.work, "brs.hcl", fmt.Sprintf(`plugin "saml" {
  command = %q
}

role "dev" {
  source   = "saml"
  region   = "us-east-1"
  endpoint = %q
  config {
    saml_command = "echo run >> %s; echo 'debug: got' >&2; cat %s >&2; cat %s"
    role_arn     = %q
    duration     = "15m"
  }
}
`, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-saml"), f.URL, runs, response, response, dev))

	var outputs []string
	first := ""
	for i := range 4 {
		r := h.run(nil, "--log-level", "trace", "-c", cfg, "credential-process", "dev")
		outputs = append(outputs, r.stdout, r.stderr)
		k := akid(t, r)
		if i == 0 {
			first = k
		} else if k != first {
			t.Errorf("call %d: key %s, want the agent's %s", i, k, first)
		}
	}
	r := h.run(nil, "--log-level", "trace", "-c", cfg, "exec", "dev", "--", plugintestbin.Build(t, sdkChildPkg), "key")
	outputs = append(outputs, r.stdout, r.stderr)
	if r.code != exitOK || !strings.Contains(r.stdout, "key=ASIA") || strings.Contains(r.stdout, first) {
		t.Fatalf("exec: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	b, err := os.ReadFile(runs)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "run"); n != 2 || f.Calls() != 2 {
		t.Errorf("saml_command ran %d times, %d AssumeRoleWithSAML calls; want 2 and 2 (the agent's, exec's)", n, f.Calls())
	}
	for _, form := range f.Requests() {
		if form.Get("RoleArn") != dev || form.Get("PrincipalArn") != provider || form.Get("DurationSeconds") != "900" {
			t.Errorf("request %v %v %v", form.Get("RoleArn"), form.Get("PrincipalArn"), form.Get("DurationSeconds"))
		}
	}
	doc, _ := base64.StdEncoding.DecodeString(b64)
	piece := b64[len(b64)/2 : len(b64)/2+40]
	for _, out := range outputs {
		if strings.Contains(out, piece) || strings.Contains(out, string(doc)) {
			t.Errorf("brs printed the assertion:\n%s", out)
		}
	}
	grepTree(t, h.work, piece)
	grepTree(t, h.state, piece)
	// The check above means something: the agent's log did get the command's
	// standard error, with the assertion redacted.
	var logged []byte
	_ = filepath.WalkDir(h.state, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			logged = append(logged, b...)
		}
		return nil
	})
	if !strings.Contains(string(logged), "debug: got") || !strings.Contains(string(logged), "[REDACTED]") {
		t.Errorf("the agent's log lacks saml_command's redacted standard error:\n%s", logged)
	}
	if !strings.Contains(r.stderr, "debug: got") {
		t.Errorf("exec's trace log lacks saml_command's standard error:\n%s", r.stderr)
	}
}
