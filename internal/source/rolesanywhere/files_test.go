package rolesanywhere_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestFileProblems: each file that cannot be used is refused with its attribute,
// path and reason, before anything is sent, and the error quotes nothing it holds.
func TestFileProblems(t *testing.T) {
	w := newWorld(t, fake.Config{})
	big := filepath.Join(w.dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, 1<<20+1), 0o600); err != nil {
		t.Fatal(err)
	}
	garbage := fake.WriteFile(t, w.dir, "garbage.pem", []byte("-----BEGIN CERTIFICATE-----\nc2VjcmV0LWluLXRoZS1maWxl\n-----END CERTIFICATE-----\n"))
	for _, tc := range []struct {
		attr, path, code, want string
	}{
		{"certificate", filepath.Join(w.dir, "missing.pem"), "InvalidCertificate", "missing.pem"},
		{"certificate", w.dir, "InvalidCertificate", "directory"},
		{"certificate", big, "InvalidCertificate", "larger than"},
		{"certificate", garbage, "InvalidCertificate", "cannot be parsed"},
		{"private_key", big, "InvalidKey", "larger than"},
		{"private_key", garbage, "InvalidKey", "swapped"},
		{"private_key", fake.WriteFile(t, w.dir, "text", []byte("not PEM")), "InvalidKey", "no PEM private key"},
		{"certificate_chain", w.key, "InvalidCertificateChain", "swapped"},
	} {
		_, err := refresh(t, w.f.URL, with(w.attrs(), tc.attr, tc.path))
		se := sourcetest.WantError(t, err, tc.code, false, tc.attr, tc.want)
		if strings.Contains(se.Message, "c2VjcmV0") || strings.Contains(se.Message, "not PEM") {
			t.Errorf("%s %s: the error quotes the file: %s", tc.attr, tc.path, se.Message)
		}
	}
	// Six intermediates: one more than Roles Anywhere takes.
	ca, chain := w.ca, []byte{}
	for range 6 {
		ca = ca.Intermediate(t, "intermediate")
		chain = append(append([]byte{}, ca.PEM...), chain...)
	}
	deep := ca.Issue(t, fake.Leaf{})
	_, err := refresh(t, w.f.URL, with(w.attrs(),
		"certificate", fake.WriteFile(t, w.dir, "deep.pem", deep.CertPEM),
		"private_key", fake.WriteFile(t, w.dir, "deep.key", deep.KeyPEM(t)),
		"certificate_chain", fake.WriteFile(t, w.dir, "deep-chain.pem", chain)))
	sourcetest.WantError(t, err, "InvalidCertificateChain", false, "6 intermediate certificates", "at most 5")

	if n := len(w.f.Calls()) + len(w.f.Refusals()); n != 0 {
		t.Errorf("the fake got %d requests, want none", n)
	}
}
