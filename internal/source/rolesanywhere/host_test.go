package rolesanywhere_test

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/host"
	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestThroughPlugin runs roles through the real brs-plugin-roles_anywhere under the
// host, logging at trace level: an encrypted key whose passphrase command also
// prints the passphrase on stderr, a certificate renewed between refreshes (used at
// the next one), and failures (a wrong passphrase, a truncated key, an untrusted
// certificate). Neither the log nor an error holds the passphrase, any line of a key
// file, or the credentials' secrets.
func TestThroughPlugin(t *testing.T) {
	w := newWorld(t, fake.Config{})
	key, passFile := encryptKey(t, w)
	keyPEM, err := os.ReadFile(w.key)
	if err != nil {
		t.Fatal(err)
	}
	truncated := fake.WriteFile(t, w.dir, "truncated.key", keyPEM[:len(keyPEM)/2])
	wrong := fake.WriteFile(t, w.dir, "wrong", []byte("not the passphrase\n"))
	encPEM, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	key2 := fake.WriteFile(t, w.dir, "second.enc.key", encPEM) // stays encrypted
	role := func(name, keyPath, command string) string {
		return `
role "` + name + `" {
  source   = "roles_anywhere"
  endpoint = ` + strconv.Quote(w.f.URL) + `
  config {
    certificate        = ` + strconv.Quote(w.cert) + `
    private_key        = ` + strconv.Quote(keyPath) + `
    passphrase_command = ` + strconv.Quote(command) + `
    trust_anchor_arn   = ` + strconv.Quote(w.f.TrustAnchorARN) + `
    profile_arn        = ` + strconv.Quote(w.f.ProfileARN) + `
    role_arn           = ` + strconv.Quote(fake.DefaultRole) + `
  }
}
`
	}
	src := role("good", key, "echo passphrase is $(cat "+passFile+") >&2; cat "+passFile) +
		role("wrong", key2, "cat "+wrong) + role("truncated", truncated, "true")
	path := filepath.Join(w.dir, "brs.hcl")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs sourcetest.SyncBuffer
	t.Setenv("BRS_PLUGIN_DIR", "")
	bin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-roles_anywhere")
	h, err := host.Load(context.Background(), path, host.WithPluginDir(filepath.Dir(bin)),
		host.WithLogger(hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: &logs})))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	defer h.Close()
	ctx := context.Background()
	creds, err := h.Credentials(ctx, "good")
	if err != nil {
		t.Fatalf("good: %v", err)
	}

	// Renew the certificate (same files, new key): the next refresh uses it.
	renewed := w.ca.Issue(t, fake.Leaf{CN: "renewed"})
	fake.WriteFile(t, w.dir, "workload.pem", renewed.CertPEM)
	fake.WriteFile(t, w.dir, "renewed.key", renewed.KeyPEM(t))
	if err := os.Rename(filepath.Join(w.dir, "renewed.key"), key); err != nil { // now unencrypted: passphrase_command is not run
		t.Fatal(err)
	}
	if err := h.Refresh(ctx, "good"); err != nil {
		t.Fatalf("refresh after renewal: %v", err)
	}
	calls := w.f.Calls()
	if len(calls) != 2 || calls[1].Serial != renewed.Cert.SerialNumber.String() {
		t.Errorf("fake calls %+v, want the renewed certificate's serial %s second", calls, renewed.Cert.SerialNumber)
	}

	var errs []string
	for _, r := range []string{"wrong", "truncated"} {
		_, err := h.Credentials(ctx, r)
		if err == nil {
			t.Errorf("%s: no error", r)
			continue
		}
		errs = append(errs, err.Error())
	}
	if len(errs) != 2 || !strings.Contains(errs[0], "WrongPassphrase") || !strings.Contains(errs[1], "InvalidKey") {
		t.Errorf("errors %q, want WrongPassphrase and InvalidKey", errs)
	}
	all := logs.String() + strings.Join(errs, "\n")
	if !strings.Contains(logs.String(), "passphrase is [redacted]") {
		t.Errorf("the passphrase command's stderr is not in the log, redacted:\n%s", logs.String())
	}
	secrets := []string{testPassphrase, creds.SecretAccessKey, creds.SessionToken, base64.StdEncoding.EncodeToString(keyPEM)[:24]}
	for _, line := range strings.Split(string(keyPEM), "\n") {
		if len(line) > 16 && !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("log or error holds secret material %q", s)
		}
	}
}
