package keyring

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	testKeyID  = "AKIAKEYRINGTEST00001"
	testSecret = "keyring/test+secret-access-key-00000000001"
)

func fileStore(t *testing.T, dir, passphrase string) *Store {
	t.Helper()
	s, err := Open(Options{Backend: "file", Dir: dir, Getenv: func(k string) string {
		if k == EnvPassphrase {
			return passphrase
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// roundTrip stores, lists, reads and removes a key in s.
func roundTrip(t *testing.T, s *Store) {
	t.Helper()
	k := Key{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	if err := s.Set("brs-test-alice", k); err != nil {
		t.Fatal(err)
	}
	names, err := s.List()
	if err != nil || !strings.Contains(strings.Join(names, ","), "brs-test-alice") {
		t.Fatalf("List = %v, %v", names, err)
	}
	got, err := s.Get("brs-test-alice")
	if err != nil || got != k {
		t.Fatalf("Get = %v, %v", got, err)
	}
	if err := s.Remove("brs-test-alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("brs-test-alice"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Remove: %v, want ErrNotFound", err)
	}
	if err := s.Remove("brs-test-alice"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Remove twice: %v, want ErrNotFound", err)
	}
}

// TestFileBackend: the encrypted file backend stores and returns a key; the directory
// holds neither the secret nor the key ID in plaintext; a wrong passphrase reads
// nothing.
func TestFileBackend(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keyring")
	s := fileStore(t, dir, "correct horse")
	if s.Backend() != "file" {
		t.Errorf("backend %q", s.Backend())
	}
	roundTrip(t, s)
	if err := s.Set("bob", Key{AccessKeyID: testKeyID, SecretAccessKey: testSecret}); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if bytes.Contains(b, []byte(testSecret)) || bytes.Contains(b, []byte(testKeyID)) {
			t.Errorf("%s holds the key in plaintext", p)
		}
		if fi, _ := d.Info(); fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v", p, fi.Mode())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = fileStore(t, dir, "wrong passphrase").Get("bob")
	if err == nil || errors.Is(err, ErrNotFound) || strings.Contains(err.Error(), testSecret) {
		t.Errorf("wrong passphrase: %v", err)
	}
	// No passphrase and no prompt: a clear error, not an empty passphrase.
	_, err = fileStore(t, dir, "").Get("bob")
	if err == nil || !strings.Contains(err.Error(), EnvPassphrase) {
		t.Errorf("no passphrase: %v", err)
	}
}

// TestKeyctlBackend runs the kernel's user keyring for real.
func TestKeyctlBackend(t *testing.T) {
	if !keyctlWorks(t) {
		return
	}
	s, err := Open(Options{Backend: "keyctl"})
	if err != nil {
		t.Fatalf("keyctl: %v", err)
	}
	roundTrip(t, s)
}

func TestChecks(t *testing.T) {
	for _, n := range []string{"", "a b", "../x", strings.Repeat("a", 65), "a/b"} {
		if CheckName(n) == nil {
			t.Errorf("name %q accepted", n)
		}
	}
	bad := []Key{{"short", testSecret}, {testKeyID, "short"}, {testKeyID, "has a space in it ......"}, {"akiaLOWERCASE0000001", testSecret}}
	for _, k := range bad {
		if err := k.Check(); err == nil || strings.Contains(err.Error(), k.SecretAccessKey) {
			t.Errorf("%v: %v", k, err)
		}
	}
	if s := (Key{testKeyID, testSecret}).String(); strings.Contains(s, testSecret) {
		t.Errorf("String() = %s", s)
	}
	if _, err := Open(Options{Backend: "nonsense"}); err == nil || !strings.Contains(err.Error(), "file") {
		t.Errorf("unknown backend: %v", err)
	}
}
