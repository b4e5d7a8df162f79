package iot_test

import (
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/iot"
)

// TestNoSecretInErrors provokes failures with a provider that puts secrets in its
// error bodies and with broken key files, and checks that no error message holds any
// part of a private key or of a body.
func TestNoSecretInErrors(t *testing.T) {
	d := newDevice(t)
	keyPEM := readFile(t, d.key)
	block, _ := pem.Decode(keyPEM)
	keyB64 := base64.StdEncoding.EncodeToString(block.Bytes)
	const bodySecret = "body-secret-access-key-0123456789"

	var errs []error
	collect := func(attrs map[string]string) {
		t.Helper()
		if _, err := refresh(t, iot.New(), attrs); err != nil {
			errs = append(errs, err)
		} else {
			t.Errorf("Refresh(%v) succeeded", attrs)
		}
	}
	for _, status := range []int{400, 401, 403, 404, 429, 500} {
		d.f.failWith(status)
		collect(d.attrs())
	}
	d.f.answer(`{"credentials": {"secretAccessKey": "` + bodySecret + `"}, "message": "` + bodySecret + `"}`)
	collect(d.attrs())
	d.f.answer("")

	// A key file that is a valid key with text around it, a key passed as the
	// certificate, a truncated key, a key that does not match.
	truncated := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: block.Bytes[:len(block.Bytes)/2]})
	_, otherKey := d.ca.issue(t, leaf{cn: "other"})
	collect(with(d.attrs(), "cert", d.key))
	collect(with(d.attrs(), "key", writeFile(t, d.dir, "truncated.key", truncated)))
	collect(with(d.attrs(), "key", writeFile(t, d.dir, "other.key", otherKey)))
	collect(with(d.attrs(), "ca", d.key))
	collect(with(d.attrs(), "key", writeFile(t, d.dir, "noise.key", append([]byte("garbage "+keyB64[:40]+"\n"), 'x'))))

	if len(errs) < 10 {
		t.Fatalf("collected %d errors, want every case", len(errs))
	}
	secrets := []string{bodySecret, "PRIVATE KEY-----", keyB64[:24], keyB64[len(keyB64)-24:]}
	for _, line := range strings.Split(string(keyPEM)+string(otherKey)+string(truncated), "\n") {
		if len(line) > 16 && !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}
	for _, err := range errs {
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error %q holds secret material %q", err, s)
			}
		}
	}
}
