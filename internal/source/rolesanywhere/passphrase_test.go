package rolesanywhere_test

import (
	"context"
	"encoding/json"
	"maps"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/rolesanywhere"
	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

// testPassphrase encrypts the test keys; it must never appear in an error.
const testPassphrase = "brs-test-passphrase-7f3a"

// encryptKey writes the world's key as `openssl pkcs8 -topk8 -v2 aes-256-cbc` does
// and a file holding the passphrase, and returns both paths.
func encryptKey(t *testing.T, w *world) (key, passFile string) {
	t.Helper()
	bin := needtool.Path(t, "openssl", "apt-get install openssl")
	key = filepath.Join(w.dir, "workload.enc.key")
	cmd := exec.Command(bin, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", w.key, "-out", key, "-passout", "pass:"+testPassphrase)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	return key, fake.WriteFile(t, w.dir, "passphrase", []byte(testPassphrase+"\n"))
}

// TestEncryptedKey: an encrypted PKCS #8 key is decrypted with what
// passphrase_command prints; a wrong passphrase, a failing command and a missing one
// each give their own error, none holding the passphrase.
func TestEncryptedKey(t *testing.T) {
	w := newWorld(t, fake.Config{})
	key, passFile := encryptKey(t, w)
	attrs := with(w.attrs(), "private_key", key, "passphrase_command", "cat "+passFile)
	creds, err := refresh(t, w.f.URL, attrs)
	wantCreds(t, w, creds, err, 1, time.Hour)

	wrong := fake.WriteFile(t, w.dir, "wrong", []byte("not-"+testPassphrase))
	for code, a := range map[string]map[string]string{
		"WrongPassphrase":         with(attrs, "passphrase_command", "cat "+wrong),
		"PassphraseRequired":      with(attrs, "passphrase_command", ""),
		"PassphraseCommandFailed": with(attrs, "passphrase_command", "echo oops >&2; exit 3"),
	} {
		_, err := refresh(t, w.f.URL, a)
		se := sourcetest.WantError(t, err, code, false)
		if strings.Contains(se.Message, testPassphrase) {
			t.Errorf("%s: the error holds the passphrase: %s", code, se.Message)
		}
	}
	_, err = refresh(t, w.f.URL, with(attrs, "passphrase_command", "true"))
	sourcetest.WantError(t, err, "PassphraseCommandFailed", false, "printed no passphrase")
	if n := len(w.f.Calls()); n != 1 {
		t.Errorf("fake called %d times, want 1", n)
	}
}

// TestPassphraseRedactedFromStderr: a passphrase command that also prints the
// passphrase on standard error (a debug line, a password manager's banner) does not
// get it into the log.
func TestPassphraseRedactedFromStderr(t *testing.T) {
	w := newWorld(t, fake.Config{})
	key, passFile := encryptKey(t, w)
	var stderr sourcetest.SyncBuffer
	r := rolesanywhere.New(rolesanywhere.WithStderr(&stderr))
	_, err := sourcetest.Refresh(context.Background(), r, shared.RefreshRequest{Role: "w", Endpoint: w.f.URL,
		Config: sourcetest.ConfigJSON(t, with(w.attrs(), "private_key", key, "passphrase_command", "echo using $(cat "+passFile+") >&2; cat "+passFile))})
	if err != nil {
		t.Fatal(err)
	}
	if got := stderr.String(); strings.Contains(got, testPassphrase) || !strings.Contains(got, "using [redacted]") {
		t.Errorf("stderr %q, want the passphrase redacted", got)
	}
}

// TestPassphraseCommandEnvironment: passphrase_command gets the variables of env and
// those inherit_env names from brs's environment (a password manager's agent socket,
// say), and no other variable of brs's environment.
func TestPassphraseCommandEnvironment(t *testing.T) {
	w := newWorld(t, fake.Config{})
	key, passFile := encryptKey(t, w)
	t.Setenv("BRS_TEST_AGENT_SOCK", "/run/user/1000/pm.sock")
	t.Setenv("BRS_TEST_UNLISTED", "unlisted")
	// The command prints the passphrase only when it sees both variables, and fails
	// when it sees the unlisted one.
	command := `[ -z "$BRS_TEST_UNLISTED" ] && [ "$PM_VAULT" = work ] && [ "$BRS_TEST_AGENT_SOCK" = /run/user/1000/pm.sock ] && cat ` + passFile
	attrs := with(w.attrs(), "private_key", key, "passphrase_command", command)
	build := func(extra map[string]any) shared.Config {
		m := map[string]any{}
		for k, v := range attrs {
			m[k] = v
		}
		maps.Copy(m, extra)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return shared.Config(b)
	}
	ctx := context.Background()
	r := rolesanywhere.New()
	req := func(c shared.Config) shared.RefreshRequest {
		return shared.RefreshRequest{Role: "workload", Config: c, Endpoint: w.f.URL}
	}
	creds, err := sourcetest.Refresh(ctx, r, req(build(map[string]any{
		"env": map[string]string{"PM_VAULT": "work"}, "inherit_env": []string{"BRS_TEST_AGENT_SOCK"},
	})))
	wantCreds(t, w, creds, err, 1, time.Hour)
	for name, extra := range map[string]map[string]any{
		"without inherit_env": {"env": map[string]string{"PM_VAULT": "work"}},
		"without env":         {"inherit_env": []string{"BRS_TEST_AGENT_SOCK"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := sourcetest.Refresh(ctx, r, req(build(extra)))
			sourcetest.WantError(t, err, "PassphraseCommandFailed", false)
		})
	}
	// inherit_env of something that is not a variable's name is refused at load.
	resp, err := r.Validate(ctx, &shared.ValidateRequest{Role: "workload", Config: build(map[string]any{"inherit_env": []string{"not a name"}})})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Diagnostics.HasErrors() {
		t.Errorf("inherit_env of %q: no error", "not a name")
	}
}
