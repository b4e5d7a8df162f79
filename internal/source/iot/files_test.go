package iot_test

import (
	"encoding/pem"
	"github.com/brs-go/brs/internal/testutil/fifotest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/source/iot"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestFileProblems checks each way the certificate, key and CA files can be unusable:
// a permanent error that names the file and says what is wrong, and no request sent.
func TestFileProblems(t *testing.T) {
	d := newDevice(t)
	certPEM, keyPEM := d.ca.issue(t, leaf{cn: "other-device"})
	_, rsaKeyPEM := d.ca.issue(t, leaf{cn: "rsa-device", rsa: true})
	expiredPEM, expiredKeyPEM := d.ca.issue(t, leaf{cn: "old", notBefore: time.Now().Add(-48 * time.Hour), notAfter: time.Now().Add(-time.Hour)})
	futurePEM, futureKeyPEM := d.ca.issue(t, leaf{cn: "new", notBefore: time.Now().Add(time.Hour)})
	block, _ := pem.Decode(keyPEM)
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00"}, Bytes: block.Bytes})
	pkcs8Encrypted := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: block.Bytes})
	brokenKey := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("not a key at all")})
	brokenCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not a certificate")})
	file := func(name string, data []byte) string { return writeFile(t, d.dir, name, data) }
	missing := filepath.Join(d.dir, "missing.pem")
	zero, fifo := filepath.Join(d.dir, "zero.pem"), filepath.Join(d.dir, "fifo.pem")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	if err := fifotest.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	huge := file("huge.pem", append(append([]byte(nil), d.ca.pem...), make([]byte, 4<<20)...))

	cases := []struct {
		name    string
		changes []string
		code    string
		want    []string
	}{
		{"cert missing", []string{"cert", missing}, "InvalidCertificate", []string{"reading cert " + missing, "no such file"}},
		{"key missing", []string{"key", missing}, "InvalidKey", []string{"reading key " + missing, "no such file"}},
		{"ca missing", []string{"ca", missing}, "InvalidCA", []string{"reading ca " + missing}},
		{"cert a directory", []string{"cert", d.dir}, "InvalidCertificate", []string{"reading cert " + d.dir, "is a directory"}},
		{"key a symlink to /dev/zero", []string{"key", zero}, "InvalidKey", []string{"reading key " + zero, "it is a character device, not a regular file"}},
		{"cert a named pipe", []string{"cert", fifo}, "InvalidCertificate", []string{"reading cert " + fifo, "it is a named pipe, not a regular file"}},
		{"ca over 4 MiB", []string{"ca", huge}, "InvalidCA", []string{"ca " + huge + " is larger than 4 MiB"}},
		{"cert not PEM", []string{"cert", file("garbage.crt", []byte("hello"))}, "InvalidCertificate", []string{"holds no PEM certificate"}},
		{"cert unparsable", []string{"cert", file("broken.crt", brokenCert)}, "InvalidCertificate", []string{"certificate 1 cannot be parsed"}},
		{"cert and key swapped", []string{"cert", d.key, "key", d.cert}, "InvalidCertificate", []string{"cert " + d.key, "swapped"}},
		{"key is a certificate", []string{"key", d.cert}, "InvalidKey", []string{"key " + d.cert, "swapped"}},
		{"key not PEM", []string{"key", file("garbage.key", []byte("hello"))}, "InvalidKey", []string{"holds no PEM private key"}},
		{"key unparsable", []string{"key", file("broken.key", brokenKey)}, "InvalidKey", []string{"cannot be parsed"}},
		{"key encrypted", []string{"key", file("enc.key", encrypted)}, "InvalidKey", []string{"is encrypted"}},
		{"key encrypted PKCS 8", []string{"key", file("enc8.key", pkcs8Encrypted)}, "InvalidKey", []string{"is encrypted"}},
		{"key of another certificate", []string{"key", file("other.key", keyPEM)}, "KeyMismatch", []string{"does not belong to the certificate in cert " + d.cert}},
		{"RSA key of another certificate", []string{"key", file("rsa.key", rsaKeyPEM)}, "KeyMismatch", []string{"does not belong"}},
		{"certificate of another key", []string{"cert", file("other.crt", certPEM)}, "KeyMismatch", []string{"does not belong"}},
		{"certificate expired", []string{"cert", file("old.crt", expiredPEM), "key", file("old.key", expiredKeyPEM)}, "CertificateExpired", []string{"expired at", "rotate it"}},
		{"certificate not yet valid", []string{"cert", file("new.crt", futurePEM), "key", file("new.key", futureKeyPEM)}, "CertificateNotYetValid", []string{"valid only from", "clock"}},
		{"ca without certificates", []string{"ca", file("empty-ca.pem", keyPEM)}, "InvalidCA", []string{"holds no PEM certificate", "Amazon Root CA 1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			attrs := with(d.attrs(), c.changes...)
			_, err := refresh(t, iot.New(), attrs)
			se := sourcetest.WantError(t, err, c.code, false, c.want...)
			for _, path := range []string{attrs["cert"], attrs["key"], attrs["ca"]} {
				if quotes(se.Message, path) {
					t.Errorf("error %q quotes %s", se.Message, path)
				}
			}
		})
	}
	if got := d.f.requests(); len(got) != 0 {
		t.Errorf("the provider got %d requests, want none", len(got))
	}
}

// TestChain checks that intermediate certificates after the device certificate are
// sent too, so a device certificate from an intermediate CA is accepted.
func TestChain(t *testing.T) {
	d := newDevice(t)
	// The fake trusts only its CA, so a chain of the device certificate followed by
	// the CA certificate must still be accepted, and the device certificate used.
	chain := append(readFile(t, d.cert), d.ca.pem...)
	attrs := with(d.attrs(), "cert", writeFile(t, d.dir, "chain.pem", chain))
	if _, err := refresh(t, iot.New(), attrs); err != nil {
		t.Fatalf("Refresh with a chain: %v", err)
	}
	if got := d.f.requests(); len(got) != 1 || got[0].clientCN != "device-1" {
		t.Errorf("the provider saw %+v, want device-1", got)
	}
}

// quotes reports whether msg holds a line of the file at path (PEM base64 lines, or
// the whole of a short file).
func quotes(msg, path string) bool {
	b, err := boundedfile.ReadFile(path, 8<<20) // some hold /dev/zero
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if len(line) >= 5 && !strings.HasPrefix(line, "-----") && strings.Contains(msg, line) {
			return true
		}
	}
	return false
}
