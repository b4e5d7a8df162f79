package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileFunctionRefuses checks what file() refuses to read, and that each refusal
// says why.
func TestFileFunctionRefuses(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "binary"), "\xff\xfe\x00")
	writeFile(t, filepath.Join(dir, "large"), strings.Repeat("a", maxFileSize+1))
	writeFile(t, filepath.Join(dir, "limit"), strings.Repeat("a", maxFileSize))
	if err := os.Mkdir(filepath.Join(dir, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}

	for name, reason := range map[string]string{
		"missing": "no such file or directory",
		"dir":     "it is a directory, not a regular file",
		"binary":  "it is not UTF-8 text",
		"large":   "it is larger than 1 MiB",
	} {
		src := `role "a" {
  source = "sts"
  region = file("` + name + `")
}`
		_, diags := ParseSource([]byte(src), filepath.Join(dir, "brs.hcl"))
		d := firstError(diags)
		want := "Cannot read " + filepath.Join(dir, name) + ": " + reason + "."
		if d.Summary != "Cannot read file" || d.Detail != want {
			t.Errorf("%s: %q: %q, want %q", name, d.Summary, d.Detail, want)
		}
		startsAt(t, name, *d.Subject, filepath.Join(dir, "brs.hcl"), 3, 12)
	}

	// A file of exactly the limit is fine.
	_, diags := ParseSource([]byte(`role "a" {
  source = "sts"
  region = file("limit")
}`), filepath.Join(dir, "brs.hcl"))
	if diags.HasErrors() {
		t.Errorf("file of %d bytes: %v", maxFileSize, diags)
	}
}

func TestEnvFunction(t *testing.T) {
	unsetTestVariable(t)
	t.Setenv("BRS_TEST_EMPTY", "")
	for _, c := range []struct {
		expr    string
		region  string
		summary string
	}{
		{expr: `env("BRS_TEST_EMPTY")`, region: ""}, // set, though empty
		{expr: `env("BRS_TEST_EMPTY", "dflt")`, region: ""},
		{expr: `env("BRS_TEST_UNSET_VARIABLE", "dflt")`, region: "dflt"},
		{expr: `env("BRS_TEST_UNSET_VARIABLE")`, summary: "Environment variable not set"},
		{expr: `env("")`, summary: "Invalid function argument"},
		{expr: `env()`, summary: "Not enough function arguments"},
		{expr: `env(["BRS_TEST_EMPTY"])`, summary: "Invalid function argument"},
		{expr: `env(null)`, summary: "Invalid function argument"},
		{expr: `file()`, summary: "Not enough function arguments"},
		{expr: `file("")`, summary: "Invalid function argument"},
		{expr: `file("a", "b")`, summary: "Too many function arguments"},
	} {
		src := "role \"a\" {\n  source = \"sts\"\n  region = " + c.expr + "\n}\n"
		f, diags := ParseSource([]byte(src), "env.hcl")
		if c.summary != "" {
			if got := firstError(diags).Summary; got != c.summary {
				t.Errorf("%s: first error %q, want %q", c.expr, got, c.summary)
			}
			checkSubjects(t, diags, "env.hcl")
			continue
		}
		if diags.HasErrors() {
			t.Errorf("%s: %v", c.expr, diags)
			continue
		}
		if got := f.Role("a").Region; got != c.region {
			t.Errorf("%s: region %q, want %q", c.expr, got, c.region)
		}
	}
}
