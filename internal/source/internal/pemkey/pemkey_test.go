package pemkey_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/brs-go/brs/internal/source/internal/pemkey"
	"github.com/brs-go/brs/internal/testutil/needtool"
)

// passphrase is what the encrypted test keys are encrypted with.
const passphrase = "correct horse battery staple"

// openssl runs openssl with args in dir and fails the test if it fails.
func openssl(t *testing.T, dir string, args ...string) {
	t.Helper()
	bin := needtool.Path(t, "openssl", "apt-get install openssl")
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func read(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// keys makes one RSA and one EC key with openssl, and writes each in every form
// brs reads: PKCS #1 / SEC 1, PKCS #8, and encrypted PKCS #8 with the schemes
// OpenSSL offers.
func keys(t *testing.T) string {
	t.Helper()
	keysOnce.Do(func() { keysDir = makeKeys(t) })
	if keysDir == "" {
		t.Fatal("making the test keys failed")
	}
	return keysDir
}

var (
	keysOnce sync.Once
	keysDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if keysDir != "" {
		os.RemoveAll(keysDir)
	}
	os.Exit(code)
}

func makeKeys(t *testing.T) string {
	dir, err := os.MkdirTemp("", "pemkey")
	if err != nil {
		t.Fatal(err)
	}
	openssl(t, dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.p8")
	openssl(t, dir, "rsa", "-in", "rsa.p8", "-traditional", "-out", "rsa.p1")
	openssl(t, dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.sec1")
	openssl(t, dir, "pkcs8", "-topk8", "-nocrypt", "-in", "ec.sec1", "-out", "ec.p8")
	for _, k := range []string{"rsa", "ec"} {
		openssl(t, dir, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", k+".p8", "-out", k+".enc", "-passout", "pass:"+passphrase)
	}
	openssl(t, dir, "pkcs8", "-topk8", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA512", "-iter", "100000", "-in", "ec.p8", "-out", "ec-sha512.enc", "-passout", "pass:"+passphrase)
	openssl(t, dir, "pkcs8", "-topk8", "-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA1", "-in", "ec.p8", "-out", "ec-sha1.enc", "-passout", "pass:"+passphrase)
	openssl(t, dir, "pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", "ec.p8", "-out", "ec-pbes1.enc", "-passout", "pass:"+passphrase)
	openssl(t, dir, "pkcs8", "-topk8", "-scrypt", "-in", "ec.p8", "-out", "ec-scrypt.enc", "-passout", "pass:"+passphrase)
	openssl(t, dir, "ec", "-in", "ec.sec1", "-aes256", "-out", "ec-legacy.pem", "-passout", "pass:"+passphrase)
	openssl(t, dir, "req", "-new", "-x509", "-key", "ec.p8", "-subj", "/CN=test", "-days", "1", "-out", "cert.pem")
	return dir
}

func pass(s string) pemkey.Passphrase {
	return func() ([]byte, error) { return []byte(s), nil }
}

// TestParsePrivateKey reads keys in every supported form, each as the same key.
func TestParsePrivateKey(t *testing.T) {
	dir := keys(t)
	var rsaPub, ecPub crypto.PublicKey
	for _, tc := range []struct {
		file string
		rsa  bool
		pass pemkey.Passphrase
	}{
		{"rsa.p1", true, nil}, {"rsa.p8", true, nil}, {"rsa.enc", true, pass(passphrase)},
		{"ec.sec1", false, nil}, {"ec.p8", false, nil}, {"ec.enc", false, pass(passphrase)},
		{"ec-sha512.enc", false, pass(passphrase)}, {"ec-sha1.enc", false, pass(passphrase)},
	} {
		k, err := pemkey.ParsePrivateKey(read(t, dir, tc.file), tc.pass)
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		want := &ecPub
		if tc.rsa {
			want = &rsaPub
			if _, ok := k.(*rsa.PrivateKey); !ok {
				t.Errorf("%s: %T, want RSA", tc.file, k)
			}
		} else if _, ok := k.(*ecdsa.PrivateKey); !ok {
			t.Errorf("%s: %T, want ECDSA", tc.file, k)
		}
		if *want == nil {
			*want = k.Public()
		} else if !k.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(*want) {
			t.Errorf("%s: a different key than the unencrypted file holds", tc.file)
		}
	}
}

// TestEncryptedKeyErrors: a wrong passphrase, none, and the schemes brs does not
// read each give their own error, and none quotes the passphrase.
func TestEncryptedKeyErrors(t *testing.T) {
	dir := keys(t)

	_, err := pemkey.ParsePrivateKey(read(t, dir, "rsa.enc"), pass("wrong passphrase"))
	if !errors.Is(err, pemkey.ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	_, err = pemkey.ParsePrivateKey(read(t, dir, "ec.enc"), nil)
	if !errors.Is(err, pemkey.ErrNeedPassphrase) {
		t.Errorf("no passphrase: %v", err)
	}
	cmdErr := errors.New("the command failed")
	_, err = pemkey.ParsePrivateKey(read(t, dir, "ec.enc"), func() ([]byte, error) { return nil, cmdErr })
	if !errors.Is(err, cmdErr) {
		t.Errorf("passphrase error: %v", err)
	}
	for file, want := range map[string]string{"ec-pbes1.enc": "PKCS #12 PBE (SHA-1 and 3DES)", "ec-scrypt.enc": "scrypt"} {
		_, err := pemkey.ParsePrivateKey(read(t, dir, file), pass(passphrase))
		var ue *pemkey.UnsupportedEncryptionError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "openssl pkcs8 -topk8 -v2 aes-256-cbc") {
			t.Errorf("%s: %v, want an UnsupportedEncryptionError naming %s", file, err, want)
		}
	}
	_, err = pemkey.ParsePrivateKey(read(t, dir, "ec-legacy.pem"), pass(passphrase))
	if !errors.Is(err, pemkey.ErrLegacyEncryption) {
		t.Errorf("legacy encryption: %v", err)
	}
}

// TestIterationBound: a key whose PBKDF2 iteration count is past MaxIterations is
// refused before any work is done.
func TestIterationBound(t *testing.T) {
	dir := keys(t)
	b, _ := pem.Decode(read(t, dir, "ec.enc"))
	// OpenSSL writes 2048 iterations: INTEGER 0x0800. Make it 0x3D0901 (4,000,001),
	// growing the INTEGER and every SEQUENCE around it by one byte.
	der := rewriteIterations(t, b.Bytes)
	_, err := pemkey.ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}), pass(passphrase))
	var ue *pemkey.UnsupportedEncryptionError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "iteration count") {
		t.Errorf("4,000,001 iterations: %v, want refused", err)
	}
}

// rewriteIterations re-encodes an OpenSSL PBES2 EncryptedPrivateKeyInfo with
// 4,000,001 PBKDF2 iterations.
func rewriteIterations(t *testing.T, der []byte) []byte {
	t.Helper()
	type algID struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue
	}
	var info struct {
		Algorithm algID
		Data      []byte
	}
	var params struct{ KDF, Enc algID }
	var kdf struct {
		Salt []byte
		Iter int
		PRF  algID
	}
	must := func(_ []byte, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(asn1.Unmarshal(der, &info))
	must(asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params))
	must(asn1.Unmarshal(params.KDF.Parameters.FullBytes, &kdf))
	if kdf.Iter != 2048 {
		t.Fatalf("openssl wrote %d iterations, want 2048", kdf.Iter)
	}
	kdf.Iter = 4_000_001
	remarshal := func(v any) asn1.RawValue {
		b, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return asn1.RawValue{FullBytes: b}
	}
	params.KDF.Parameters = remarshal(kdf)
	info.Algorithm.Parameters = remarshal(params)
	return remarshal(info).FullBytes
}

// TestWrongBlocks: a certificate where a key belongs and the reverse are named as
// such; garbage is no key.
func TestWrongBlocks(t *testing.T) {
	dir := keys(t)
	if _, err := pemkey.ParsePrivateKey(read(t, dir, "cert.pem"), nil); !errors.Is(err, pemkey.ErrCertificateNotKey) {
		t.Errorf("certificate as key: %v", err)
	}
	if _, err := pemkey.ParseCertificates(read(t, dir, "ec.p8")); !errors.Is(err, pemkey.ErrKeyNotCertificate) {
		t.Errorf("key as certificate: %v", err)
	}
	if _, err := pemkey.ParsePrivateKey([]byte("not PEM"), nil); !errors.Is(err, pemkey.ErrNoKey) {
		t.Errorf("garbage: %v", err)
	}
	certs, err := pemkey.ParseCertificates(read(t, dir, "cert.pem"))
	if err != nil || len(certs) != 1 {
		t.Fatalf("certificate: %v, %d", err, len(certs))
	}
	ec, _ := pemkey.ParsePrivateKey(read(t, dir, "ec.p8"), nil)
	rk, _ := pemkey.ParsePrivateKey(read(t, dir, "rsa.p8"), nil)
	if !pemkey.Matches(certs[0], ec) || pemkey.Matches(certs[0], rk) {
		t.Error("Matches does not tell the certificate's key from another")
	}
}
