package pemkey_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/brs-go/brs/internal/source/internal/pemkey"
)

// FuzzParsePrivateKey: any key file, with any passphrase, gives a key or an error,
// never a panic, and an encrypted key is never slower than MaxIterations allow. The
// seeds are openssl's keys (when the test keys exist) and hand-made PEM.
func FuzzParsePrivateKey(f *testing.F) {
	for _, s := range []string{
		"", "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n",
		"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n",
		"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nAA==\n-----END RSA PRIVATE KEY-----\n",
	} {
		f.Add([]byte(s), "pass")
	}
	if dir := os.Getenv("PEMKEY_FUZZ_SEEDS"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b, passphrase)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, pass string) {
		k, err := pemkey.ParsePrivateKey(data, func() ([]byte, error) { return []byte(pass), nil })
		if (k == nil) == (err == nil) {
			t.Fatalf("key %v and error %v", k, err)
		}
	})
}

// TestUnsupportedKey: an Ed25519 key, which Roles Anywhere does not take, is named
// as such.
func TestUnsupportedKey(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	_, err = pemkey.ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil)
	if !errors.Is(err, pemkey.ErrUnsupportedKey) {
		t.Errorf("Ed25519: %v, want ErrUnsupportedKey", err)
	}
}
