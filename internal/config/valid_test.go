package config

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// mustParse parses path and fails the test on any diagnostic.
func mustParse(t *testing.T, path string) *File {
	t.Helper()
	f, diags := Parse(path)
	if len(diags) > 0 {
		var buf bytes.Buffer
		_ = WriteDiagnostics(&buf, f.Files(), diags, false)
		t.Fatalf("Parse(%q) reported:\n%s", path, buf.String())
	}
	return f
}

// startsAt fails the test unless r starts at line, column of file.
func startsAt(t *testing.T, what string, r hcl.Range, file string, line, column int) {
	t.Helper()
	if r.Filename != file || r.Start.Line != line || r.Start.Column != column {
		t.Errorf("%s starts at %s:%d,%d, want %s:%d,%d", what, r.Filename, r.Start.Line, r.Start.Column, file, line, column)
	}
}

// attrNames returns the names of the attributes in body, sorted.
func attrNames(t *testing.T, body hcl.Body) []string {
	t.Helper()
	attrs, diags := body.JustAttributes()
	if diags.HasErrors() {
		t.Fatalf("JustAttributes: %v", diags)
	}
	names := []string{}
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func TestParseFull(t *testing.T) {
	path := filepath.Join("testdata", "valid", "full.hcl")
	f := mustParse(t, path)
	dir, err := filepath.Abs(filepath.Join("testdata", "valid"))
	if err != nil {
		t.Fatal(err)
	}

	if f.Path != path {
		t.Errorf("Path %q, want %q", f.Path, path)
	}
	if _, ok := f.Files()[path]; !ok {
		t.Errorf("Files() lacks %q", path)
	}

	// Plugins.
	if len(f.Plugins) != 3 {
		t.Fatalf("%d plugins, want 3", len(f.Plugins))
	}
	vault := f.Plugins["vault"]
	if vault == nil {
		t.Fatal("no plugin vault")
	}
	sum, _ := hex.DecodeString("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
	if vault.Name != "vault" ||
		vault.Command != filepath.Join(dir, "plugins", "brs-plugin-vault") ||
		!reflect.DeepEqual(vault.Args, []string{"--log-level", "warn"}) ||
		!bytes.Equal(vault.SHA256, sum) {
		t.Errorf("plugin vault = %+v", vault)
	}
	startsAt(t, "vault DeclRange", vault.DeclRange, path, 3, 1)
	startsAt(t, "vault CommandRange", vault.CommandRange, path, 4, 13)
	startsAt(t, "vault SHA256Range", vault.SHA256Range, path, 6, 13)

	sso := f.Plugins["sso"]
	if sso == nil || sso.Command != "brs-plugin-sso" || sso.Args != nil || sso.SHA256 != nil {
		t.Errorf("plugin sso = %+v; a bare command stays as written, unset args and sha256 are nil", sso)
	} else if sso.SHA256Range != sso.DeclRange {
		t.Errorf("unset sha256: SHA256Range %v, want DeclRange %v", sso.SHA256Range, sso.DeclRange)
	}
	process := f.Plugins["process"]
	if process == nil || process.Command != "/opt/brs/brs-plugin-process" || len(process.Args) != 0 {
		t.Errorf("plugin process = %+v", process)
	}

	// Roles, in file order.
	var names []string
	for _, r := range f.Roles {
		names = append(names, r.Name)
	}
	if want := []string{"base", "prod-admin", "chained.2_x"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("roles %q, want %q", names, want)
	}
	if f.Role("base") != f.Roles[0] || f.Role("chained.2_x") != f.Roles[2] || f.Role("nope") != nil {
		t.Error("Role does not look roles up by name")
	}

	base := f.Roles[0]
	if base.Source != "sts" || base.Region != "us-east-1" || base.Endpoint != "http://127.0.0.1:9000" ||
		base.SourceRole != "" || base.Advisory != 5*time.Minute || base.Mandatory != time.Minute || base.Timeout != 3*time.Minute {
		t.Errorf("role base = %+v", base)
	}
	startsAt(t, "base DeclRange", base.DeclRange, path, 18, 1)
	startsAt(t, "base SourceRange", base.SourceRange, path, 19, 14)
	startsAt(t, "base ConfigRange", base.ConfigRange, path, 27, 3)
	if base.SourceRoleRange != base.DeclRange {
		t.Errorf("unset source_role: SourceRoleRange %v, want DeclRange", base.SourceRoleRange)
	}
	if got, want := attrNames(t, base.Config), []string{"duration", "role_arn", "session_name"}; !reflect.DeepEqual(got, want) {
		t.Errorf("base config attributes %q, want %q", got, want)
	}

	admin := f.Roles[1]
	if admin.SourceRole != "base" || admin.Advisory != 0 || admin.Mandatory != 0 || admin.Timeout != 0 || admin.Region != "" {
		t.Errorf("role prod-admin = %+v", admin)
	}
	startsAt(t, "prod-admin SourceRoleRange", admin.SourceRoleRange, path, 36, 17)
	if got := attrNames(t, admin.Config); len(got) != 3 {
		t.Errorf("prod-admin config attributes %q, want 3", got)
	}

	chained := f.Roles[2]
	if chained.Source != "vault" || chained.SourceRole != "prod-admin" ||
		chained.Advisory != 90*time.Second || chained.Mandatory != 0 {
		t.Errorf("role chained.2_x = %+v", chained)
	}
	if chained.ConfigRange != chained.DeclRange {
		t.Errorf("no config block: ConfigRange %v, want DeclRange %v", chained.ConfigRange, chained.DeclRange)
	}
	if chained.Config == nil || len(attrNames(t, chained.Config)) != 0 {
		t.Error("a role without config block must have an empty, non-nil Config")
	}
}

func TestParseMinimal(t *testing.T) {
	path := filepath.Join("testdata", "valid", "minimal.hcl")
	f := mustParse(t, path)
	if len(f.Plugins) != 0 || f.Plugins == nil {
		t.Errorf("Plugins = %v, want an empty map", f.Plugins)
	}
	if len(f.Roles) != 1 {
		t.Fatalf("%d roles, want 1", len(f.Roles))
	}
	r := f.Roles[0]
	want := Role{Name: "default", Source: "sts"}
	if r.Name != want.Name || r.Source != want.Source || r.Region != "" || r.Endpoint != "" ||
		r.SourceRole != "" || r.Advisory != 0 || r.Mandatory != 0 {
		t.Errorf("role = %+v, want %+v", r, want)
	}
	startsAt(t, "SourceRange", r.SourceRange, path, 2, 12)
}

func TestParseUnsetOptionals(t *testing.T) {
	f := mustParse(t, filepath.Join("testdata", "valid", "unset_optionals.hcl"))
	r := f.Role("a")
	if r == nil {
		t.Fatal("no role a")
	}
	if r.Region != "" || r.Endpoint != "" || r.SourceRole != "" || r.Mandatory != 0 {
		t.Errorf("role = %+v; empty and null optionals must count as unset", r)
	}
}

// TestParseFunctions parses testdata/valid/functions.hcl with its environment set, and
// a copy of it in a temporary directory, where file() must read the copy's neighbours.
func TestParseFunctions(t *testing.T) {
	t.Setenv("BRS_TEST_REGION", "eu-central-1")
	t.Setenv("BRS_TEST_HOST", "sts.example.com")
	t.Setenv("BRS_TEST_PLUGIN", "") // set to "", which is not the same as unset
	if err := os.Unsetenv("BRS_TEST_PLUGIN"); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BRS_TEST_ADVISORY", "") // likewise
	if err := os.Unsetenv("BRS_TEST_ADVISORY"); err != nil {
		t.Fatal(err)
	}

	src, err := os.ReadFile(filepath.Join("testdata", "valid", "functions.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "brs.hcl")
	writeFile(t, path, string(src))
	sum := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	writeFile(t, filepath.Join(dir, "custom.sha256"), sum+"\n")

	f := mustParse(t, path)
	p := f.Plugins["custom"]
	if p == nil {
		t.Fatal("no plugin custom")
	}
	if want := filepath.Join(dir, "bin", "brs-plugin-custom"); p.Command != want {
		t.Errorf("command %q, want env's default resolved against the file's directory, %q", p.Command, want)
	}
	if hex.EncodeToString(p.SHA256) != sum {
		t.Errorf("sha256 %x, want %s from the file next to brs.hcl", p.SHA256, sum)
	}
	r := f.Role("a")
	if r.Region != "eu-central-1" || r.Endpoint != "https://sts.example.com:8443/sts" || r.Advisory != 10*time.Minute {
		t.Errorf("role = %+v", r)
	}

	// With the variables set, env returns them rather than the defaults.
	t.Setenv("BRS_TEST_PLUGIN", "/usr/libexec/brs-plugin-custom")
	t.Setenv("BRS_TEST_ADVISORY", "2m")
	f = mustParse(t, path)
	if got := f.Plugins["custom"].Command; got != "/usr/libexec/brs-plugin-custom" {
		t.Errorf("command %q, want the environment's", got)
	}
	if got := f.Role("a").Advisory; got != 2*time.Minute {
		t.Errorf("advisory %v, want 2m", got)
	}

	// The file in testdata holds a sha256sum line, checksum and file name.
	f = mustParse(t, filepath.Join("testdata", "valid", "functions.hcl"))
	if got := hex.EncodeToString(f.Plugins["custom"].SHA256); got != "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" {
		t.Errorf("sha256 from a sha256sum line: %s", got)
	}
}

func TestParseSourceRelativeCommand(t *testing.T) {
	src := `
plugin "a" { command = "plugins/a" }
plugin "b" { command = "../b" }
plugin "c" { command = "c" }
role "r" { source = "a" }
`
	dir := t.TempDir()
	f, diags := ParseSource([]byte(src), filepath.Join(dir, "conf", "brs.hcl"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := map[string]string{
		"a": filepath.Join(dir, "conf", "plugins", "a"),
		"b": filepath.Join(dir, "b"),
		"c": "c",
	}
	for name, cmd := range want {
		if got := f.Plugins[name].Command; got != cmd {
			t.Errorf("plugin %s: command %q, want %q", name, got, cmd)
		}
	}
}

// TestSecretsStayOut checks that no diagnostic, nor its printed form, holds a value
// that env or file returned.
func TestSecretsStayOut(t *testing.T) {
	const secret = "s3cr3t-VALUE"
	t.Setenv("BRS_TEST_SECRET", secret)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "secret.txt"), secret)
	unsetTestVariable(t)
	src := `
plugin "p" {
  command = "/bin/p"
  sha256  = file("secret.txt")
}
role "a" {
  source      = "sts"
  endpoint    = env("BRS_TEST_SECRET")
  source_role = env("BRS_TEST_SECRET")
  region      = env(env("BRS_TEST_SECRET"))
  refresh {
    advisory = file("secret.txt")
  }
}
role "b" {
  source = "sts"
  region = file(env("BRS_TEST_SECRET"))
  config {
    role_arn = "arn:aws:iam::111122223333:role/a"
    enabled  = env("BRS_TEST_SECRET")
    tags     = { k = file("secret.txt") }
    duration = file("secret.txt")
  }
}
`
	path := filepath.Join(dir, "brs.hcl")
	f, diags := ParseSource([]byte(src), path)
	var want []string
	for _, d := range diags {
		want = append(want, d.Summary)
	}
	if len(diags) != 6 {
		t.Errorf("got %d diagnostics %q, want 6", len(diags), want)
	}
	var buf bytes.Buffer
	if err := WriteDiagnostics(&buf, f.Files(), diags, false); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), secret) {
		t.Errorf("diagnostics show the secret:\n%s", buf.String())
	}

	// In a config block too.
	_, diags = DecodeConfig(f.Role("b"), testSchema)
	buf.Reset()
	if err := WriteDiagnostics(&buf, f.Files(), diags, false); err != nil {
		t.Fatal(err)
	}
	if !diags.HasErrors() || strings.Contains(buf.String(), secret) {
		t.Errorf("DecodeConfig diagnostics are empty or show the secret:\n%s", buf.String())
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
