//go:build unix

package config

import (
	"github.com/brs-go/brs/internal/testutil/needtool"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// other is a user ID that is neither the tests' user nor root: nobody.
const otherUser = 65534

// TestParseRefusesUntrustedFile: Parse refuses a brs file that its group may write, and
// one in a directory others may write, with one diagnostic at the start of the file
// that names it, its mode and the fix; nothing of the file is parsed.
func TestParseRefusesUntrustedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "brs.hcl")
	if err := os.WriteFile(path, []byte("role \"a\" {\n  source = \"s\"\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, diags := Parse(path); diags.HasErrors() {
		t.Fatalf("trusted file: %v", diags)
	}
	sub := filepath.Join(dir, "open")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	inOpen := filepath.Join(sub, "brs.hcl")
	if err := os.WriteFile(inOpen, []byte("role \"a\" {\n  source = \"s\"\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o664); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		path:   "Refusing config file " + path + ": it (owner ",
		inOpen: "Refusing config file " + inOpen + ": its directory " + sub + " (owner ",
	} {
		f, diags := Parse(file)
		if len(diags) != 1 || diags[0].Summary != "Untrusted config file" || len(f.Roles) != 0 {
			t.Fatalf("%s: %d roles, %v", file, len(f.Roles), diags)
		}
		d := diags[0]
		if !strings.HasPrefix(d.Detail, want) || !strings.Contains(d.Detail, "is writable by other users") || !strings.Contains(d.Detail, "chmod go-w ") {
			t.Errorf("%s: %q, want it to start %q", file, d.Detail, want)
		}
		if d.Subject.Filename != file || d.Subject.Start != hcl.InitialPos {
			t.Errorf("%s: at %v", file, d.Subject)
		}
	}
}

// TestFileRefusesOtherUsersFile: file() of a file another user owns is refused, with a
// diagnostic at the call (file:line:col) that names the file, its owner and the fix,
// and nothing of its content; through a symbolic link too. The same file, once the
// user's, is read.
func TestFileRefusesOtherUsersFile(t *testing.T) {
	needtool.Root(t, "giving a file to another user needs root")
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed")
	if err := os.WriteFile(seed, []byte("their-seed-content"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(seed, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(seed, otherUser, otherUser); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "brs.hcl")
	for _, p := range []string{seed, link} {
		src := "role \"a\" {\n  source = \"s\"\n  config {\n    role_arn = file(\"" + p + "\")\n  }\n}\n"
		f, diags := ParseSource([]byte(src), cfg)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		_, diags = DecodeConfig(f.Role("a"), testSchema)
		d := firstError(diags)
		if d == nil || d.Summary != "Untrusted file" {
			t.Fatalf("%s: %v", p, diags)
		}
		if d.Subject.Filename != cfg || d.Subject.Start.Line != 4 || d.Subject.Start.Column != 16 {
			t.Errorf("%s: at %v, want %s:4:16", p, d.Subject, cfg)
		}
		for _, w := range []string{"Refusing file " + p + ": ", "(owner nobody (65534), mode -rw-r--r--)", "chown root " + seed} {
			if !strings.Contains(d.Detail, w) {
				t.Errorf("%s: detail lacks %q: %s", p, w, d.Detail)
			}
		}
		if strings.Contains(d.Detail, "their-seed") {
			t.Errorf("the diagnostic shows the content: %s", d.Detail)
		}
	}
	if err := os.Chown(seed, 0, 0); err != nil {
		t.Fatal(err)
	}
	src := "role \"a\" {\n  source = \"s\"\n  config {\n    role_arn = file(\"seed\")\n  }\n}\n"
	f, _ := ParseSource([]byte(src), cfg)
	if dec, diags := DecodeConfig(f.Role("a"), testSchema); diags.HasErrors() || !strings.Contains(string(dec.JSON), "their-seed-content") {
		t.Errorf("the user's own file: %v", diags)
	}
}
