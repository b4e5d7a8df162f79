package hcl_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/needtool"
)

// roles_anywhere.hcl's roles, for TestExamplesLoad (added here, not in its table, so
// that examples of other sources do not touch the same lines).
func init() { roles["roles_anywhere.hcl"] = []string{"workload", "laptop"} }

// TestRolesAnywhereExample runs roles_anywhere.hcl through the plugin against
// fakerolesanywhere, a fake CreateSession that verifies the signature and the chain
// to its trust anchor as the service does (nothing else here serves Roles Anywhere):
// the workload's certificate is issued by an intermediate, the laptop's key is
// encrypted with openssl and its passphrase comes from the command.
func TestRolesAnywhereExample(t *testing.T) {
	ca := fake.NewCA(t, "example trust anchor")
	f := fake.Start(t, fake.Config{Anchor: ca, AcceptRoleSessionName: true})
	_, opts := setup(t, "")
	dir := t.TempDir()
	t.Setenv("BRS_RA_DIR", dir)
	t.Setenv("BRS_RA_ENDPOINT", f.URL)

	inter := ca.Intermediate(t, "example issuing CA")
	workload := inter.Issue(t, fake.Leaf{RSA: true})
	fake.WriteFile(t, dir, "workload.pem", workload.CertPEM)
	fake.WriteFile(t, dir, "workload.key", workload.TraditionalKeyPEM(t))
	fake.WriteFile(t, dir, "intermediates.pem", inter.PEM)

	laptop := ca.Issue(t, fake.Leaf{})
	fake.WriteFile(t, dir, "laptop.pem", laptop.CertPEM)
	plain := fake.WriteFile(t, dir, "laptop.key", laptop.KeyPEM(t))
	openssl := needtool.Path(t, "openssl", "apt-get install openssl")
	const passphrase = "example laptop passphrase"
	if out, err := exec.Command(openssl, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", plain, "-out", filepath.Join(dir, "laptop.enc.key"),
		"-passout", "pass:"+passphrase).CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	passFile := fake.WriteFile(t, dir, "passphrase", []byte(passphrase+"\n"))

	// The example's command is a password manager's; the test's reads a file.
	src, err := os.ReadFile("roles_anywhere.hcl")
	if err != nil {
		t.Fatal(err)
	}
	src = []byte(strings.Replace(string(src), "pass show pki/laptop-key", "cat "+passFile, 1))
	h, err := host.LoadSource(context.Background(), "roles_anywhere.hcl", src, opts...)
	if err != nil {
		t.Fatalf("Load(roles_anywhere.hcl): %v", err)
	}
	t.Cleanup(func() { h.Close() })

	for role, life := range map[string]time.Duration{"workload": 2 * time.Hour, "laptop": time.Hour} {
		creds, err := h.Credentials(context.Background(), role)
		if err != nil {
			t.Fatalf("%s: %v (fake refused: %q)", role, err, f.Refusals())
		}
		if d := time.Until(creds.Expires); !strings.HasPrefix(creds.AccessKeyID, "ASIA") || d < life-time.Minute || d > life {
			t.Errorf("%s: %v expiring in %v, want %v", role, creds, d, life)
		}
	}
	calls := f.Calls()
	if len(calls) != 2 {
		t.Fatalf("fake calls %+v, want 2", calls)
	}
	for _, c := range calls {
		switch c.Serial {
		case workload.Cert.SerialNumber.String():
			if c.Algorithm != "AWS4-X509-RSA-SHA256" || c.Chain != 1 || c.DurationSeconds != 7200 {
				t.Errorf("workload: %+v", c)
			}
		case laptop.Cert.SerialNumber.String():
			if c.Algorithm != "AWS4-X509-ECDSA-SHA256" || c.RoleSessionName != "alice-laptop" {
				t.Errorf("laptop: %+v", c)
			}
		default:
			t.Errorf("unknown serial %+v", c)
		}
	}
}
