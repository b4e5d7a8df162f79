package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// onlyFile has a chain c -> b -> a, a role d with a mistake, and plugins.
const onlyFile = `plugin "p" {
  command = "/bin/p"
}
role "a" {
  source = "p"
  region = "eu-west-1"
}
role "b" {
  source      = "p"
  source_role = "a"
}
/* a comment */ role "c" {
  source      = "p"
  source_role = "b"
  config {
    x = 1
  }
}
role "d" {
  source = "p"
  regio  = "x"
}
`

// TestParseOnly: ParseOnly reads the roles asked for and their source_role chains,
// with every plugin, as Parse reads them, and lists every role's name; a mistake in a
// role it does not read is not reported.
func TestParseOnly(t *testing.T) {
	full, diags := ParseSource([]byte(onlyFile), "only.hcl")
	if len(diags) != 1 || diags[0].Subject.Start.Line != 21 {
		t.Fatalf("ParseSource: %v, want d's regio", diags)
	}
	f, diags := ParseSourceOnly([]byte(onlyFile), "only.hcl", []string{"c"})
	if len(diags) != 0 {
		t.Fatalf("ParseSourceOnly(c): %v", diags)
	}
	var got []string
	for _, r := range f.Roles {
		got = append(got, r.Name)
		want := full.Role(r.Name)
		if r.Source != want.Source || r.SourceRole != want.SourceRole || r.Region != want.Region ||
			r.DeclRange != want.DeclRange || r.ConfigRange != want.ConfigRange || r.SourceRoleRange != want.SourceRoleRange {
			t.Errorf("role %s: %+v, Parse has %+v", r.Name, r, want)
		}
	}
	if !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("roles %v, want c and its chain [a b c]", got)
	}
	if f.Plugins["p"] == nil || f.Plugins["p"].Command != "/bin/p" || f.Plugins["p"].DeclRange != full.Plugins["p"].DeclRange {
		t.Fatalf("plugins %+v", f.Plugins)
	}
	if names := f.RoleNames(); !slices.Equal(names, []string{"a", "b", "c", "d"}) {
		t.Fatalf("RoleNames() = %v, want every role", names)
	}
	if _, ok := f.Files()["only.hcl"]; !ok {
		t.Fatal("Files() lacks the file's source")
	}
	// d itself is read, and its mistake reported as Parse reports it.
	_, diags = ParseSourceOnly([]byte(onlyFile), "only.hcl", []string{"d"})
	if len(diags) != 1 || diags[0].Summary != "Unsupported argument" || diags[0].Subject.Start.Line != 21 {
		t.Fatalf("ParseSourceOnly(d): %v, want d's regio at line 21", diags)
	}
}

// TestParseOnlyFallsBack: where the blocks cannot be found without parsing, or a
// name asked for is not a role, ParseOnly is Parse, diagnostics included.
func TestParseOnlyFallsBack(t *testing.T) {
	for name, src := range map[string]string{
		"top-level attribute": "x = 1\n" + onlyFile,
		"unknown block":       "rol \"x\" {\n}\n" + onlyFile,
		"header over lines":   "role\n\"x\" {\n  source = \"p\"\n}\n" + onlyFile,
		"duplicate role":      onlyFile + "role \"a\" {\n  source = \"p\"\n}\n",
		"brace left open":     onlyFile + "role \"e\" {\n  source = \"p\"\n",
		"syntax error":        strings.Replace(onlyFile, `source_role = "b"`, `source_role = `, 1),
		"cycle":               strings.Replace(onlyFile, "region = \"eu-west-1\"", "source_role = \"c\"", 1),
		"unknown source_role": strings.Replace(onlyFile, `source_role = "b"`, `source_role = "bb"`, 1),
		"unknown role":        onlyFile,
	} {
		roles := []string{"c"}
		if name == "unknown role" {
			roles = []string{"zz"}
		}
		_, want := ParseSource([]byte(src), "only.hcl")
		_, got := ParseSourceOnly([]byte(src), "only.hcl", roles)
		if !want.HasErrors() || len(got) == 0 {
			t.Fatalf("%s: Parse %v, ParseOnly %v: want errors from both", name, want, got)
		}
		if name != "unknown role" && got[0].Error() != want[0].Error() {
			t.Errorf("%s: ParseOnly's first error %v, Parse's %v", name, got[0], want[0])
		}
	}
}

// TestParseOnlyReadsOneRole: ParseOnly of one role of 4,000 allocates a small part
// of what Parse does: it parses two blocks, not the file.
func TestParseOnlyReadsOneRole(t *testing.T) {
	var b strings.Builder
	b.WriteString("plugin \"sts\" {\n  command = \"/bin/sts\"\n}\n")
	for i := range 4000 {
		fmt.Fprintf(&b, "role \"r%04d\" {\n  source = \"sts\"\n  region = \"us-east-1\"\n  config {\n    role_arn = \"arn:aws:iam::123456789012:role/r%04d\"\n    duration = \"1h\"\n  }\n}\n", i, i)
	}
	src := []byte(b.String())
	var f *File
	var diags hcl.Diagnostics
	only := testing.AllocsPerRun(2, func() { f, diags = ParseSourceOnly(src, "big.hcl", []string{"r0007"}) })
	if diags.HasErrors() || len(f.Roles) != 1 || f.Roles[0].Name != "r0007" {
		t.Fatalf("ParseSourceOnly: %v, %d roles, want r0007 alone", diags, len(f.Roles))
	}
	all := testing.AllocsPerRun(1, func() { _, diags = ParseSource(src, "big.hcl") })
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if only > all/50 {
		t.Fatalf("ParseOnly of one role made %.0f allocations, Parse %.0f: want under 2%%", only, all)
	}
	t.Logf("allocations: ParseOnly %.0f, Parse %.0f", only, all)
}

// FuzzParseOnly: for any file that Parse reads without error, ParseOnly of each of its
// roles reads that role's chain without error, each role as Parse reads it.
func FuzzParseOnly(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "valid", "*.hcl"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed files: %v", err)
	}
	for _, path := range seeds {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(onlyFile))
	f.Fuzz(func(t *testing.T, src []byte) {
		full, diags := ParseSource(src, "fuzz.hcl")
		if diags.HasErrors() {
			return
		}
		for _, want := range full.Roles {
			f, diags := ParseSourceOnly(src, "fuzz.hcl", []string{want.Name})
			if diags.HasErrors() {
				t.Fatalf("ParseOnly(%s): %v", want.Name, diags)
			}
			got := f.Role(want.Name)
			if got == nil || got.Source != want.Source || got.SourceRole != want.SourceRole || got.Region != want.Region ||
				got.Endpoint != want.Endpoint || got.DeclRange != want.DeclRange || got.ConfigRange != want.ConfigRange {
				t.Fatalf("ParseOnly(%s) read %+v, Parse %+v", want.Name, got, want)
			}
			for r := got; r.SourceRole != ""; r = f.Role(r.SourceRole) {
				if f.Role(r.SourceRole) == nil {
					t.Fatalf("ParseOnly(%s) lacks %s of its chain", want.Name, r.SourceRole)
				}
			}
		}
	})
}
