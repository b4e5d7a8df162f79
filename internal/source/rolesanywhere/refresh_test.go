package rolesanywhere_test

import (
	"strings"
	"testing"
	"time"

	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

// wantCreds checks credentials the fake issued for its n-th call.
func wantCreds(t *testing.T, w *world, creds shared.Credentials, err error, n int, life time.Duration) fake.Call {
	t.Helper()
	if err != nil {
		t.Fatalf("refresh: %v (fake refused: %q)", err, w.f.Refusals())
	}
	calls := w.f.Calls()
	if len(calls) != n {
		t.Fatalf("fake accepted %d calls, want %d", len(calls), n)
	}
	c := calls[n-1]
	if creds.AccessKeyID != c.AccessKeyID || creds.SecretAccessKey == "" || creds.SessionToken == "" {
		t.Errorf("credentials %v, want the fake's %s", creds, c.AccessKeyID)
	}
	if d := time.Until(creds.Expires); d < life-time.Minute || d > life+time.Minute {
		t.Errorf("credentials expire in %v, want about %v", d, life)
	}
	if creds.AccountID != fake.Account || !strings.HasPrefix(creds.ARN, "arn:aws:sts::"+fake.Account+":assumed-role/brs-roles-anywhere/") {
		t.Errorf("identity %q %q, want the assumed role's", creds.AccountID, creds.ARN)
	}
	return c
}

// TestKeyForms: RSA and EC keys in every unencrypted PEM form sign requests the fake
// verifies, each with its algorithm and the certificate's serial as credential.
func TestKeyForms(t *testing.T) {
	w := newWorld(t, fake.Config{})
	n := 0
	for _, rsa := range []bool{false, true} {
		id := w.ca.Issue(t, fake.Leaf{RSA: rsa})
		for form, keyPEM := range map[string][]byte{"pkcs8": id.KeyPEM(t), "traditional": id.TraditionalKeyPEM(t)} {
			attrs := with(w.attrs(),
				"certificate", fake.WriteFile(t, w.dir, "c.pem", id.CertPEM),
				"private_key", fake.WriteFile(t, w.dir, "k.pem", keyPEM))
			creds, err := refresh(t, w.f.URL, attrs)
			n++
			c := wantCreds(t, w, creds, err, n, time.Hour)
			wantAlg := "AWS4-X509-ECDSA-SHA256"
			if rsa {
				wantAlg = "AWS4-X509-RSA-SHA256"
			}
			if c.Algorithm != wantAlg || c.Serial != id.Cert.SerialNumber.String() || c.DurationSeconds != 3600 {
				t.Errorf("rsa=%v %s: fake saw %+v, want %s, serial %s, 3600s", rsa, form, c, wantAlg, id.Cert.SerialNumber)
			}
			if c.SignedHeaders != "content-type;host;x-amz-date;x-amz-x509" {
				t.Errorf("signed headers %q", c.SignedHeaders)
			}
		}
	}
}

// TestChain: a certificate issued by an intermediate CA is accepted only with the
// intermediate sent, from certificate_chain or after the leaf in certificate.
func TestChain(t *testing.T) {
	w := newWorld(t, fake.Config{})
	inter := w.ca.Intermediate(t, "brs test issuing CA")
	id := inter.Issue(t, fake.Leaf{})
	attrs := with(w.attrs(),
		"certificate", fake.WriteFile(t, w.dir, "leaf.pem", id.CertPEM),
		"private_key", fake.WriteFile(t, w.dir, "leaf.key", id.KeyPEM(t)))

	_, err := refresh(t, w.f.URL, attrs)
	sourcetest.WantError(t, err, "AccessDenied", false, "Untrusted signing certificate", "certificate_chain")

	creds, err := refresh(t, w.f.URL, with(attrs, "certificate_chain", fake.WriteFile(t, w.dir, "chain.pem", inter.PEM)))
	if c := wantCreds(t, w, creds, err, 1, time.Hour); c.Chain != 1 || c.SignedHeaders != "content-type;host;x-amz-date;x-amz-x509;x-amz-x509-chain" {
		t.Errorf("fake saw %+v, want one intermediate, signed", c)
	}
	bundle := fake.WriteFile(t, w.dir, "bundle.pem", append(append([]byte{}, id.CertPEM...), inter.PEM...))
	creds, err = refresh(t, w.f.URL, with(attrs, "certificate", bundle))
	if c := wantCreds(t, w, creds, err, 2, time.Hour); c.Chain != 1 {
		t.Errorf("fake saw %+v, want one intermediate", c)
	}
}

// TestWrongCA: a certificate from a CA that is not the trust anchor is refused.
func TestWrongCA(t *testing.T) {
	w := newWorld(t, fake.Config{})
	other := fake.NewCA(t, "some other CA").Issue(t, fake.Leaf{})
	_, err := refresh(t, w.f.URL, with(w.attrs(),
		"certificate", fake.WriteFile(t, w.dir, "o.pem", other.CertPEM),
		"private_key", fake.WriteFile(t, w.dir, "o.key", other.KeyPEM(t))))
	sourcetest.WantError(t, err, "AccessDenied", false, "Untrusted signing certificate")
}

// TestExpiredCertificate: an expired (or not yet valid) certificate is refused
// before anything is sent.
func TestExpiredCertificate(t *testing.T) {
	w := newWorld(t, fake.Config{})
	for code, l := range map[string]fake.Leaf{
		"CertificateExpired":     {NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-time.Hour)},
		"CertificateNotYetValid": {NotBefore: time.Now().Add(time.Hour)},
	} {
		id := w.ca.Issue(t, l)
		_, err := refresh(t, w.f.URL, with(w.attrs(),
			"certificate", fake.WriteFile(t, w.dir, "e.pem", id.CertPEM),
			"private_key", fake.WriteFile(t, w.dir, "e.key", id.KeyPEM(t))))
		sourcetest.WantError(t, err, code, false, w.dir)
	}
	if n := len(w.f.Calls()) + len(w.f.Refusals()); n != 0 {
		t.Errorf("the fake got %d requests, want none", n)
	}
}

// TestKeyMismatch: a key that is not the certificate's is refused locally.
func TestKeyMismatch(t *testing.T) {
	w := newWorld(t, fake.Config{})
	other := w.ca.Issue(t, fake.Leaf{})
	_, err := refresh(t, w.f.URL, with(w.attrs(), "private_key", fake.WriteFile(t, w.dir, "other.key", other.KeyPEM(t))))
	sourcetest.WantError(t, err, "KeyMismatch", false, "does not belong to the certificate")
	_, err = refresh(t, w.f.URL, with(w.attrs(), "private_key", w.cert, "certificate", w.key))
	sourcetest.WantError(t, err, "InvalidCertificate", false, "swapped")
}

// TestClockSkew: a request dated more than 5 minutes from the service's clock is
// refused, and the error says to check the clock.
func TestClockSkew(t *testing.T) {
	for _, skew := range []time.Duration{10 * time.Minute, -10 * time.Minute} {
		w := newWorld(t, fake.Config{Now: func() time.Time { return time.Now().Add(skew) }})
		_, err := refresh(t, w.f.URL, w.attrs())
		sourcetest.WantError(t, err, "ClockSkew", false, "clock")
	}
	// Within the window, it works.
	w := newWorld(t, fake.Config{Now: func() time.Time { return time.Now().Add(4 * time.Minute) }})
	creds, err := refresh(t, w.f.URL, w.attrs())
	wantCreds(t, w, creds, err, 1, time.Hour+4*time.Minute)
}

// TestSessionParameters: duration and session_name reach the service; a profile
// that does not accept a session name, or does not list the role, refuses.
func TestSessionParameters(t *testing.T) {
	w := newWorld(t, fake.Config{AcceptRoleSessionName: true, ProfileDuration: 2 * time.Hour})
	creds, err := refresh(t, w.f.URL, with(w.attrs(), "duration", "3h", "session_name", "nightly-etl"))
	c := wantCreds(t, w, creds, err, 1, 2*time.Hour) // the profile caps it
	if c.DurationSeconds != 3*3600 || c.RoleSessionName != "nightly-etl" || !strings.HasSuffix(creds.ARN, "/nightly-etl") {
		t.Errorf("fake saw %+v, ARN %s", c, creds.ARN)
	}

	w = newWorld(t, fake.Config{})
	_, err = refresh(t, w.f.URL, with(w.attrs(), "session_name", "nightly-etl"))
	sourcetest.WantError(t, err, "ValidationException", false, "does not accept a role session name")
	_, err = refresh(t, w.f.URL, with(w.attrs(), "role_arn", "arn:aws:iam::111122223333:role/other"))
	sourcetest.WantError(t, err, "AccessDenied", false, "Unable to assume role for the given profile")
}
