package pluginrelease

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/pluginlock"
)

// dirRelease writes a release of plugin "p" into dir, one binary per version for
// platform linux_amd64, and returns the binaries' contents.
func dirRelease(t *testing.T, dir string, versions ...string) map[string][]byte {
	t.Helper()
	bins := map[string][]byte{}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "VERSIONS"), []byte(strings.Join(versions, "\n")), 0o644))
	for _, v := range versions {
		must(os.MkdirAll(filepath.Join(dir, v), 0o755))
		bin := []byte("binary of " + v)
		bins[v] = bin
		name := BinaryName("p", v, "linux_amd64")
		must(os.WriteFile(filepath.Join(dir, v, name), bin, 0o755))
		sum := sha256.Sum256(bin)
		must(os.WriteFile(filepath.Join(dir, v, "SHA256SUMS"), []byte(fmt.Sprintf("%x  %s\n", sum, name)), 0o644))
	}
	return bins
}

func constraints(t *testing.T, s string) pluginlock.Constraints {
	c, err := pluginlock.ParseConstraints(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestInstallFromDirectory(t *testing.T) {
	src, dest := t.TempDir(), t.TempDir()
	dirRelease(t, src, "0.9.0", "1.0.0", "1.4.0", "2.0.0")
	lock := &pluginlock.Lock{Entries: map[string]*pluginlock.Entry{"gone": {Name: "gone"}}}
	req := Requirement{Name: "p", Source: src, Constraints: constraints(t, "~> 1.0")}
	res, err := Install(context.Background(), []Requirement{req}, lock, Options{Dir: dest, Platform: "linux_amd64"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Version != "1.4.0" || !res[0].Downloaded {
		t.Fatalf("results %+v", res)
	}
	if _, ok := lock.Entries["gone"]; ok {
		t.Error("a plugin the config no longer requires stayed in the lock")
	}
	got, err := os.ReadFile(res[0].Path)
	if err != nil || string(got) != "binary of 1.4.0" {
		t.Fatalf("installed %q %v", got, err)
	}
	if fi, _ := os.Stat(res[0].Path); fi.Mode().Perm() != 0o700 {
		t.Errorf("binary mode %v, want 0700", fi.Mode())
	}
	// The lock round-trips through its file.
	path := filepath.Join(t.TempDir(), pluginlock.FileName)
	if err := lock.Write(path); err != nil {
		t.Fatal(err)
	}
	back, diags := pluginlock.Read(path)
	if diags.HasErrors() || back.Entries["p"].Version != "1.4.0" || len(back.Entries["p"].Hashes) != 1 {
		t.Fatalf("read back %+v %v", back, diags)
	}
}

func TestSourceRefusesPlainHTTPElsewhere(t *testing.T) {
	for _, loc := range []string{"http://releases.example.com/p", "ftp://x/p", "https://user:secret@example.com/p"} {
		_, err := Open(loc, "")
		if err == nil {
			t.Errorf("Open(%q) accepted", loc)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) echoed the password: %v", loc, err)
		}
	}
	for _, loc := range []string{"http://127.0.0.1:1/p", "http://[::1]:1/p", "http://localhost:1/p", "https://example.com/p"} {
		if _, err := Open(loc, ""); err != nil {
			t.Errorf("Open(%q): %v", loc, err)
		}
	}
}

func TestSourceBoundsAndRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/big/VERSIONS", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("1.0.0\n", maxVersionsSize)))
	})
	mux.HandleFunc("/junk/VERSIONS", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("1.0.0\n\x1b[31mred\n"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	// Redirects are checked before they are followed: neither target is dialled.
	redirector := httptest.NewTLSServer(http.RedirectHandler(srv.URL+"/big/", http.StatusFound))
	defer redirector.Close()
	away := httptest.NewServer(http.RedirectHandler("http://releases.example.com/p/", http.StatusFound))
	defer away.Close()

	s, err := Open(srv.URL+"/big", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Versions(context.Background()); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized VERSIONS: %v", err)
	}
	s, _ = Open(srv.URL+"/junk", "")
	if _, err := s.Versions(context.Background()); err == nil || strings.Contains(err.Error(), "\x1b") {
		t.Errorf("VERSIONS with a control sequence: %v", err)
	}
	s, _ = Open(redirector.URL+"/p", "")
	s.client.Transport = redirector.Client().Transport
	if _, err := s.Versions(context.Background()); err == nil || !strings.Contains(err.Error(), "not https") {
		t.Errorf("redirect from https to a plain http URL: %v", err)
	}
	s, _ = Open(away.URL+"/p", "")
	if _, err := s.Versions(context.Background()); err == nil || !strings.Contains(err.Error(), "not https") {
		t.Errorf("redirect from loopback to plain http elsewhere: %v", err)
	}
}

func TestSignedRelease(t *testing.T) {
	src := t.TempDir()
	dirRelease(t, src, "1.0.0")
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	other, _, _ := ed25519.GenerateKey(nil)
	s, err := Open(src, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Release(ctx, "p", "1.0.0", pub); err == nil || !strings.Contains(err.Error(), "has no signature") {
		t.Errorf("unsigned release with a signing key: %v", err)
	}
	sums, _ := os.ReadFile(filepath.Join(src, "1.0.0", "SHA256SUMS"))
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(priv, sums))
	if err := os.WriteFile(filepath.Join(src, "1.0.0", "SHA256SUMS.sig"), []byte(sig+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Release(ctx, "p", "1.0.0", pub); err != nil {
		t.Errorf("signed release: %v", err)
	}
	if _, err := s.Release(ctx, "p", "1.0.0", other); err == nil || !strings.Contains(err.Error(), "not a valid signature") {
		t.Errorf("release signed by another key: %v", err)
	}
	if err := os.WriteFile(filepath.Join(src, "1.0.0", "SHA256SUMS"), append(sums, "00  extra\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Release(ctx, "p", "1.0.0", pub); err == nil {
		t.Error("SHA256SUMS changed after signing was accepted")
	}
	k, err := ParseSigningKey("ed25519:" + base64.StdEncoding.EncodeToString(pub))
	if err != nil || !k.Equal(pub) {
		t.Errorf("ParseSigningKey: %v", err)
	}
}

func TestInstallRefusesMismatch(t *testing.T) {
	src, dest := t.TempDir(), t.TempDir()
	dirRelease(t, src, "1.0.0")
	name := filepath.Join(src, "1.0.0", BinaryName("p", "1.0.0", "linux_amd64"))
	if err := os.WriteFile(name, []byte("swapped"), 0o755); err != nil {
		t.Fatal(err)
	}
	lock := &pluginlock.Lock{Entries: map[string]*pluginlock.Entry{}}
	req := Requirement{Name: "p", Source: src, Constraints: constraints(t, "1.0.0")}
	_, err := Install(context.Background(), []Requirement{req}, lock, Options{Dir: dest, Platform: "linux_amd64"})
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("swapped binary: %v", err)
	}
	if _, err := os.Stat(pluginlock.InstallPath(dest, "p", "1.0.0", "linux_amd64")); err == nil {
		t.Error("the swapped binary was installed")
	}
	entries, _ := os.ReadDir(filepath.Dir(pluginlock.InstallPath(dest, "p", "1.0.0", "linux_amd64")))
	if len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	if _, err := Install(context.Background(), []Requirement{req}, lock, Options{Dir: dest, Platform: "windows_arm64"}); err == nil || !strings.Contains(err.Error(), "no binary for windows_arm64") {
		t.Errorf("platform without a binary: %v", err)
	}
}

func TestLockFileErrors(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"bad hash":     `plugin "p" { source = "s" version = "1.0.0" hashes = { linux_amd64 = "md5:00" } }`,
		"no hashes":    `plugin "p" { source = "s" version = "1.0.0" hashes = {} }`,
		"missing":      `plugin "p" { source = "s" }`,
		"function":     `plugin "p" { source = file("/etc/passwd") version = "1.0.0" hashes = {} }`,
		"bad platform": `plugin "p" { source = "s" version = "1.0.0" hashes = { "../x" = "sha256:` + strings.Repeat("0", 64) + `" } }`,
		"duplicate": `plugin "p" { source = "s" version = "1.0.0" hashes = { a_b = "sha256:` + strings.Repeat("0", 64) + `" } }
plugin "p" { source = "s" version = "1.0.0" hashes = { a_b = "sha256:` + strings.Repeat("0", 64) + `" } }`,
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(src, " hashes", "\nhashes")), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, diags := pluginlock.Read(p); !diags.HasErrors() {
			t.Errorf("%s: accepted", name)
		} else if diags[0].Subject == nil && name != "function" {
			t.Errorf("%s: diagnostic without a position: %v", name, diags)
		}
	}
	if l, diags := pluginlock.Read(filepath.Join(dir, "absent")); diags.HasErrors() || len(l.Entries) != 0 {
		t.Errorf("a missing lock file: %v", diags)
	}
}
