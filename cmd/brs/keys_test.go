package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/internal/testutil/fakests"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

const (
	keysTestID     = "AKIAKEYSCOMMANDTEST1"
	keysTestSecret = "keys/command+test-secret-access-key-000001"
	keysTestPass   = "keys test passphrase 7f1c"
)

// runKeysCLI runs brs in-process with stdin.
func runKeysCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr syncBuffer
	c := newCLI(&stdout, &stderr, os.LookupEnv)
	c.stdin = strings.NewReader(stdin)
	code := c.run(context.Background(), args)
	return result{code, stdout.String(), stderr.String()}
}

// grepTree fails the test if a file under dir holds one of secrets.
func grepTree(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds a secret in plaintext", p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Errorf("no file under %s: the keyring was not written there", dir)
	}
}

// TestKeysCommand: add (from stdin), list, remove with the encrypted file keyring in
// a fresh HOME; afterwards no file under HOME holds the secret or the passphrase; a
// key on the command line is refused.
func TestKeysCommand(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv(keyring.EnvBackend, "file")
	t.Setenv(keyring.EnvPassphrase, keysTestPass)
	t.Setenv(keyring.EnvDir, "")

	r := runKeysCLI(t, keysTestID+"\n"+keysTestSecret+"\n", "keys", "add", "alice")
	if r.code != exitOK || !strings.Contains(r.stderr, `stored key "alice" (`+keysTestID+`) in the file keyring`) {
		t.Fatalf("add: exit %d, stderr %s", r.code, r.stderr)
	}
	grepTree(t, home, keysTestSecret, keysTestPass)
	if _, err := os.Stat(filepath.Join(home, ".local", "share", "brs", "keyring", "alice")); err != nil {
		t.Errorf("the file keyring is not where the help says: %v", err)
	}
	if r := runKeysCLI(t, "", "keys", "list"); r.code != exitOK || r.stdout != "alice\n" {
		t.Errorf("list: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}

	// Refusals: the key in argv, bad input on stdin, a bad name. None echoes the secret.
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"keys", "add", "bob", keysTestSecret}, "never from the command line"},
		{keysTestSecret + "\n", []string{"keys", "add", "bob"}, "two lines"},
		{"AKIA\n" + keysTestSecret + "\n", []string{"keys", "add", "bob"}, "access key ID must be"},
		{strings.Repeat("x", 5000), []string{"keys", "add", "bob"}, "more than"},
		{"", []string{"keys", "add", "../x"}, "key name must be"},
		{"", []string{"keys", "remove", "carol"}, "no key of that name"},
		{"", []string{"keys", "frobnicate"}, "unknown keys command"},
	} {
		r := runKeysCLI(t, c.stdin, c.args...)
		if r.code == exitOK || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr+r.stdout, keysTestSecret) {
			t.Errorf("%v: exit %d, stderr %q; want an error with %q and no secret", c.args, r.code, r.stderr, c.want)
		}
	}

	// A wrong passphrase reads nothing and says nothing secret.
	t.Setenv(keyring.EnvPassphrase, "wrong")
	if r := runKeysCLI(t, "", "keys", "remove", "alice"); r.code != exitOK {
		t.Logf("remove with a wrong passphrase: exit %d (%s)", r.code, strings.TrimSpace(r.stderr))
	}
	t.Setenv(keyring.EnvPassphrase, keysTestPass)
	runKeysCLI(t, "", "keys", "remove", "alice")
	if r := runKeysCLI(t, "", "keys", "list"); r.code != exitOK || r.stdout != "" {
		t.Errorf("list after remove: exit %d, stdout %q", r.code, r.stdout)
	}
}

// The IAM user, MFA device and roles of the session end-to-end test.
const (
	e2eUserID     = "AKIASESSIONE2EUSER01"
	e2eUserSecret = "session/e2e+user-secret-access-key-0000001"
	e2eMFASerial  = "arn:aws:iam::111122223333:mfa/alice"
	e2eMFAStart   = 314159
)

// TestSessionMFAChainE2E is §1 and §2 of issue 16 end to end, with the real brs
// binary, its agent and the real session and sts plugins: the user's key goes into the
// keyring with `brs keys add`; a session role reads it from there and gets a session
// with one MFA code; three roles chained on it, whose trust policies require MFA,
// are fetched through `brs credential-process` (agent on) many times and through
// `brs exec` with a real Go SDK child; the MFA command runs once. STS is
// fakests.Verifying: a fake (MinIO has no GetSessionToken, moto checks no MFA code)
// that verifies SigV4 signatures, MFA codes and durations as AWS does.
func TestSessionMFAChainE2E(t *testing.T) {
	var roleARNs []string
	for i := 1; i <= 3; i++ {
		roleARNs = append(roleARNs, fmt.Sprintf("arn:aws:iam::444455556666:role/r%d", i))
	}
	f := fakests.StartVerifying(t, fakests.VerifyingOptions{
		Users:     map[string]string{e2eUserID: e2eUserSecret},
		MFASerial: e2eMFASerial, MFAStart: e2eMFAStart, MFARoles: roleARNs,
	})
	h := newAgentHarness(t, keyring.EnvBackend+"=file", keyring.EnvPassphrase+"="+keysTestPass, "AWS_EC2_METADATA_DISABLED=true")
	h.env = append(h.env, "AWS_CONFIG_FILE="+filepath.Join(h.work, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(h.work, "none"))

	// brs keys add, with the key on stdin as a script would give it.
	add := exec.Command(h.brs, "keys", "add", "alice")
	add.Env, add.Dir = h.env, h.work
	add.Stdin = strings.NewReader(e2eUserID + "\n" + e2eUserSecret + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("brs keys add: %v\n%s", err, out)
	}
	grepTree(t, h.work, e2eUserSecret, keysTestPass)

	counter, runs := filepath.Join(h.work, "mfa-counter"), filepath.Join(h.work, "mfa-runs")
	src := fmt.Sprintf(`plugin "session" {
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
    keyring           = "alice"
    mfa_serial        = %q
    mfa_token_command = %q
  }
}
`, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-session"), plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts"),
		f.URL, e2eMFASerial, fakests.MFACommand(counter, runs, e2eMFAStart))
	for i, arn := range roleARNs {
		src += fmt.Sprintf(`
role "r%d" {
  source      = "sts"
  source_role = "mfa"
  endpoint    = %q
  config {
    role_arn = %q
  }
}
`, i+1, f.URL, arn)
	}
	cfg := writeHCL(t, h.work, "brs.hcl", src)

	start := time.Now()
	keys := map[string]string{}
	for round := range 5 {
		for i := 1; i <= 3; i++ {
			role := fmt.Sprintf("r%d", i)
			k := akid(t, h.run(nil, "-c", cfg, "credential-process", role))
			if round == 0 {
				keys[role] = k
			} else if keys[role] != k {
				t.Errorf("round %d: %s has %s, then %s within its lifetime", round, role, keys[role], k)
			}
		}
	}
	if len(map[string]bool{keys["r1"]: true, keys["r2"]: true, keys["r3"]: true}) != 3 {
		t.Errorf("the three roles share keys: %v", keys)
	}

	t.Logf("15 credential-process calls: %v", time.Since(start))
	b, err := os.ReadFile(runs)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "run"); n != 1 {
		t.Errorf("mfa_token_command ran %d times for 3 chained roles and 15 credential-process calls through the agent; want 1", n)
	}

	// brs exec with a real Go SDK child: it gets r2's credentials from the endpoint.
	r := h.run(nil, "-c", cfg, "exec", "r2", "--", plugintestbin.Build(t, sdkChildPkg), "key")
	if r.code != exitOK || !strings.Contains(r.stdout, "key=ASIA") {
		t.Fatalf("exec: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}

	t.Logf("and exec: %v", time.Since(start))
	// brs exec runs a host of its own (not the agent's): it gets one session, with
	// one code, for its lifetime.
	b, err = os.ReadFile(runs)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "run"); n != 2 {
		t.Errorf("mfa_token_command ran %d times in all, want 2 (the agent's session, exec's)", n)
	}
	if n := f.Calls("GetSessionToken"); n != 2 {
		t.Errorf("%d GetSessionToken calls, want 2", n)
	}
	for _, form := range f.Requests() {
		if form.Get("Action") == "AssumeRole" && form.Get("TokenCode") != "" {
			t.Errorf("a chained role sent an MFA code itself: %v", form)
		}
	}
	// Nothing brs ran left the key, or the session's credentials, in a file.
	grepTree(t, h.work, e2eUserSecret, keysTestPass)
}
