package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/pluginlock"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// release lays out a plugin release source in dir: VERSIONS, and per version a
// SHA256SUMS and the binary for this platform (a copy of bin), plus a checksum line
// for another platform, as a real multi-platform release has.
func release(t *testing.T, dir, name, bin string, versions ...string) {
	t.Helper()
	body, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	write := func(p string, b []byte, mode os.FileMode) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "VERSIONS"), []byte(strings.Join(versions, "\n")+"\n"), 0o644)
	for _, v := range versions {
		file := pluginrelease_BinaryName(name, v, pluginlock.Platform())
		write(filepath.Join(dir, v, file), body, 0o755)
		sum := sha256.Sum256(body)
		other := sha256.Sum256([]byte("the darwin build of " + v))
		sums := fmt.Sprintf("%x  %s\n%x  %s\n", sum, file, other, pluginrelease_BinaryName(name, v, "plan9_arm"))
		write(filepath.Join(dir, v, "SHA256SUMS"), []byte(sums), 0o644)
	}
}

// pluginrelease_BinaryName is the release layout's binary name (pluginrelease.BinaryName),
// written out here so that the test checks the documented layout, not the code's.
func pluginrelease_BinaryName(name, version, platform string) string {
	n := "brs-plugin-" + name + "_" + version + "_" + platform
	if strings.HasPrefix(platform, "windows_") {
		n += ".exe"
	}
	return n
}

// releaseServer serves dir over https on loopback and returns its URL and a file
// holding its certificate, for SSL_CERT_FILE.
func releaseServer(t *testing.T, dir string) (string, string) {
	t.Helper()
	srv := httptest.NewTLSServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	cert := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(cert, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL + "/vault", cert
}

type brsBin struct {
	t    *testing.T
	bin  string
	env  []string
	conf string
}

func (b *brsBin) run(args ...string) result {
	b.t.Helper()
	cmd := exec.Command(b.bin, append([]string{"-c", b.conf}, args...)...)
	cmd.Env = b.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		b.t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// TestPluginsInstallLockTamper installs a plugin from an https release with the real
// brs binary, runs it through the lock, and tampers with the installed binary, the
// release and the lock in turn: each is refused.
func TestPluginsInstallLockTamper(t *testing.T) {
	plugin := plugintestbin.Build(t, testPluginPkg)
	work := t.TempDir()
	relDir := filepath.Join(work, "srv", "vault")
	release(t, relDir, "test", plugin, "1.0.0", "1.1.0", "2.0.0")
	url, cert := releaseServer(t, filepath.Join(work, "srv"))

	home := filepath.Join(work, "home")
	conf := writeHCL(t, filepath.Join(work, "cfg"), "brs.hcl", `plugin "test" {
  source  = "`+url+`"
  version = "~> 1.0"
}

role "a" {
  source = "test"
}
`)
	b := &brsBin{t: t, bin: plugintestbin.Build(t, brsPkg), conf: conf, env: []string{
		"HOME=" + home, "PATH=/usr/bin:/bin", "SSL_CERT_FILE=" + cert, "BRS_AGENT=off",
	}}

	// Before install: validate says what to run.
	r := b.run("validate")
	if r.code == 0 || !strings.Contains(r.stderr, "Plugin not installed") || !strings.Contains(r.stderr, `brs plugins install`) {
		t.Fatalf("validate before install: %d\n%s", r.code, r.stderr)
	}

	r = b.run("plugins", "install")
	if r.code != 0 {
		t.Fatalf("install: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	installed := filepath.Join(home, ".local", "share", "brs", "plugins", "test", "1.1.0", pluginlock.Platform(), "brs-plugin-test")
	if !strings.Contains(r.stdout, "test 1.1.0: installed at "+installed) {
		t.Fatalf("install output:\n%s", r.stdout)
	}
	for d := filepath.Dir(installed); d != filepath.Dir(home); d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("%s: %v %v, want a 0700 directory", d, fi.Mode(), err)
		}
	}
	lockPath := filepath.Join(filepath.Dir(conf), "brs.lock.hcl")
	lockText, err := os.ReadFile(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(mustRead(t, plugin))
	for _, s := range []string{`version     = "1.1.0"`, `constraints = "~> 1.0"`, pluginlock.Platform() + ` = "sha256:` + hex.EncodeToString(want[:]), `plan9_arm`} {
		if !strings.Contains(string(lockText), s) {
			t.Errorf("lock file lacks %q:\n%s", s, lockText)
		}
	}

	// The locked plugin runs.
	if r = b.run("credential-process", "a"); r.code != 0 || !strings.Contains(r.stdout, `"AccessKeyId"`) {
		t.Fatalf("credential-process with the installed plugin: %d\n%s", r.code, r.stderr)
	}
	// Installing again downloads nothing.
	if r = b.run("plugins", "install"); r.code != 0 || !strings.Contains(r.stdout, "already installed") {
		t.Fatalf("second install: %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// 1. The installed binary changes: brs refuses to run it; install mends it.
	appendTo(t, installed, []byte("x"))
	r = b.run("validate")
	if r.code == 0 || !strings.Contains(r.stderr, "Plugin checksum mismatch") || !strings.Contains(r.stderr, "not the one brs.lock.hcl pins") {
		t.Fatalf("validate with a changed binary: %d\n%s", r.code, r.stderr)
	}
	if r = b.run("plugins", "install"); r.code != 0 || !strings.Contains(r.stdout, "test 1.1.0: installed") {
		t.Fatalf("reinstall: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = b.run("validate"); r.code != 0 {
		t.Fatalf("validate after reinstall: %d\n%s", r.code, r.stderr)
	}

	// 2. The publisher's server is taken over: binary and SHA256SUMS replaced together.
	// A fresh machine with the committed lock refuses the release.
	evil := append(mustRead(t, plugin), []byte("evil")...)
	bin := filepath.Join(relDir, "1.1.0", pluginrelease_BinaryName("test", "1.1.0", pluginlock.Platform()))
	if err := os.WriteFile(bin, evil, 0o755); err != nil {
		t.Fatal(err)
	}
	evilSum := sha256.Sum256(evil)
	sums := filepath.Join(relDir, "1.1.0", "SHA256SUMS")
	if err := os.WriteFile(sums, []byte(fmt.Sprintf("%x  %s\n", evilSum, filepath.Base(bin))), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := *b
	fresh.env = []string{"HOME=" + filepath.Join(work, "home2"), "PATH=/usr/bin:/bin", "SSL_CERT_FILE=" + cert, "BRS_AGENT=off"}
	r = fresh.run("plugins", "install")
	if r.code == 0 || !strings.Contains(r.stderr, "the release changed after it was locked") {
		t.Fatalf("install of a re-released 1.1.0 with the lock: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(work, "home2", ".local", "share", "brs", "plugins", "test", "1.1.0")); err == nil {
		t.Error("the refused release was installed")
	}
	if got, _ := os.ReadFile(lockPath); !bytes.Equal(got, lockText) {
		t.Error("a refused install rewrote the lock file")
	}

	// 3. A binary that does not match its SHA256SUMS (damaged or swapped on the way)
	// is refused even without a lock.
	if err := os.Remove(lockPath); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sums, []byte(fmt.Sprintf("%x  %s\n", want, filepath.Base(bin))), 0o644); err != nil {
		t.Fatal(err)
	}
	r = fresh.run("plugins", "install")
	if r.code == 0 || !strings.Contains(r.stderr, "checksum mismatch") {
		t.Fatalf("install of a binary that does not match SHA256SUMS: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(lockPath); err == nil {
		t.Error("a refused install wrote a lock file")
	}

	// 4. A hand-edited lock hash makes brs refuse the installed binary.
	if err := os.WriteFile(lockPath, bytes.Replace(lockText, []byte(hex.EncodeToString(want[:])), []byte(strings.Repeat("0", 64)), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if r = b.run("validate"); r.code == 0 || !strings.Contains(r.stderr, "Plugin checksum mismatch") {
		t.Fatalf("validate with an edited lock: %d\n%s", r.code, r.stderr)
	}
	if err := os.WriteFile(lockPath, lockText, 0o644); err != nil {
		t.Fatal(err)
	}

	// 5. The constraint moves past the lock: validate and install say to upgrade;
	// upgrade installs the newest allowed version and rewrites the lock.
	if err := os.WriteFile(conf, bytes.Replace(mustRead(t, conf), []byte(`"~> 1.0"`), []byte(`"~> 2.0"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if r = b.run("validate"); r.code == 0 || !strings.Contains(strings.Join(strings.Fields(r.stderr), " "), `brs plugins upgrade test`) {
		t.Fatalf("validate with a constraint the lock does not meet: %d\n%s", r.code, r.stderr)
	}
	if r = b.run("plugins", "install"); r.code == 0 || !strings.Contains(r.stderr, `brs plugins upgrade test`) {
		t.Fatalf("install with a constraint the lock does not meet: %d\n%s", r.code, r.stderr)
	}
	if r = b.run("plugins", "upgrade", "test"); r.code != 0 || !strings.Contains(r.stdout, "test 2.0.0: upgraded from 1.1.0") {
		t.Fatalf("upgrade: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r = b.run("credential-process", "a"); r.code != 0 {
		t.Fatalf("credential-process after upgrade: %d\n%s", r.code, r.stderr)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func appendTo(t *testing.T, p string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
