package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/fakesignin"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestLoginSessionE2E is §5 of issue 16 end to end, with the real brs binary, its
// agent and the real login plugin: `aws login` left a session in ~/.aws/login/cache
// whose credentials have expired; `brs credential-process` (agent on) renews them once
// with a DPoP proof the fake sign-in service verifies and serves them from memory
// after that; `brs exec` with a real Go SDK child (its own host, in another process)
// finds the renewed credentials in the cache file the agent wrote and spends no
// refresh token. No secret of the session (refresh tokens, the DPoP key) appears in
// any output, the agent's log or its state directory. fakesignin is a fake: no real
// sign-in service can be reached here.
func TestLoginSessionE2E(t *testing.T) {
	f := fakesignin.Start(t, fakesignin.Options{})
	const name = "arn:aws:iam::111122223333:user/alice"
	sess := f.NewSession(t, name, "111122223333", 12*time.Hour)
	h := newAgentHarness(t, "AWS_EC2_METADATA_DISABLED=true")
	h.env = append(h.env, "AWS_CONFIG_FILE="+filepath.Join(h.work, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(h.work, "none"))
	path := sess.WriteCache(t, filepath.Join(h.work, ".aws", "login", "cache"), time.Now().Add(-time.Minute))

	cfg := writeHCL(t, h.work, "brs.hcl", fmt.Sprintf(`plugin "login" {
  command = %q
}

role "dev" {
  source   = "login"
  region   = "eu-west-1"
  endpoint = %q
  config {
    login_session = %q
  }
}
`, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-login"), f.URL, name))

	var outputs []string
	key := ""
	for i := range 5 {
		r := h.run(nil, "-c", cfg, "credential-process", "dev")
		outputs = append(outputs, r.stderr)
		k := akid(t, r)
		if i == 0 {
			key = k
		} else if k != key {
			t.Errorf("call %d: %s, then %s within the credentials' lifetime", i, key, k)
		}
	}
	if key == sess.AccessKeyID || !strings.HasPrefix(key, "ASIAFAKESIGNIN") {
		t.Errorf("credential-process served %s, want renewed credentials", key)
	}
	if n := f.Issued(); n != 1 {
		t.Errorf("%d renewals for 5 credential-process calls through the agent, want 1 (calls %+v)", n, f.Calls())
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), key) {
		t.Fatalf("the cache file does not hold the renewed credentials: %v", err)
	}
	cache := string(b)

	// brs exec with a real Go SDK child: its host is exec's own, which reads the
	// cache file the agent's plugin wrote.
	r := h.run(nil, "-c", cfg, "exec", "dev", "--", plugintestbin.Build(t, sdkChildPkg), "key")
	if r.code != exitOK || !strings.Contains(r.stdout, "key="+key) {
		t.Fatalf("exec: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	outputs = append(outputs, r.stdout, r.stderr, h.logText())
	if n := f.Issued(); n != 1 {
		t.Errorf("%d renewals after exec, want still 1", n)
	}

	// The session's secrets: the refresh tokens (the first and the rotated one) and
	// the DPoP key.
	var file struct{ RefreshToken, DpopKey string }
	if err := json.Unmarshal([]byte(cache), &file); err != nil || file.RefreshToken == "" {
		t.Fatalf("cache file: %v", err)
	}
	keyBody := strings.Split(file.DpopKey, "\n")[1]
	secrets := []string{sess.RefreshToken, file.RefreshToken, keyBody}
	for _, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("an output holds a session secret:\n%s", out)
			}
		}
	}
	grepTree(t, h.state, secrets...)
}
