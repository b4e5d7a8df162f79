package hcl_test

import (
	"context"
	"github.com/brs-go/brs/host"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/internal/testutil/fakests"
)

// TestSessionExample runs session.hcl against fakests.Verifying, a fake STS that
// checks signatures and MFA codes as AWS does (no real server here serves
// GetSessionToken with MFA), with the user's key in the encrypted file keyring: both
// chained roles get credentials from one session and one MFA code.
func TestSessionExample(t *testing.T) {
	const (
		id, secret = "AKIAEXAMPLEUSERKEY01", "example/user+secret-access-key-0000000001"
		serial     = "arn:aws:iam::111122223333:mfa/alice"
	)
	f := fakests.StartVerifying(t, fakests.VerifyingOptions{
		Users: map[string]string{id: secret}, MFASerial: serial, MFAStart: 100200,
		MFARoles: []string{"arn:aws:iam::444455556666:role/admin", "arn:aws:iam::555566667777:role/readonly"},
	})
	_, opts := setup(t, f.URL)
	dir := t.TempDir()
	t.Setenv(keyring.EnvBackend, "file")
	t.Setenv(keyring.EnvDir, filepath.Join(dir, "keyring"))
	t.Setenv(keyring.EnvPassphrase, "example passphrase")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	runs := filepath.Join(dir, "runs")
	mfa := fakests.MFACommand(filepath.Join(dir, "counter"), runs, 100200)
	s, err := keyring.Open(keyring.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("alice", keyring.Key{AccessKeyID: id, SecretAccessKey: secret}); err != nil {
		t.Fatal(err)
	}

	// The example's command is a YubiKey's; the test's prints the fake's next code.
	src, err := os.ReadFile("session.hcl")
	if err != nil {
		t.Fatal(err)
	}
	src = []byte(strings.Replace(string(src), "ykman oath accounts code --single 'aws alice'", strings.ReplaceAll(mfa, `"`, `\"`), 1))
	h, err := host.LoadSource(context.Background(), "session.hcl", src, opts...)
	if err != nil {
		t.Fatalf("Load(session.hcl): %v", err)
	}
	t.Cleanup(func() { h.Close() })
	for _, role := range []string{"admin", "readonly"} {
		creds, err := h.Credentials(context.Background(), role)
		if err != nil || !strings.HasPrefix(creds.AccessKeyID, "ASIA") {
			t.Errorf("%s: %v, %v", role, creds, err)
		}
	}
	b, _ := os.ReadFile(runs)
	if n := strings.Count(string(b), "run"); n != 1 {
		t.Errorf("the MFA command ran %d times for two roles, want 1", n)
	}
}
