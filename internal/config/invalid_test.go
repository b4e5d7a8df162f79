package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// invalidCases maps each file in testdata/invalid to the first error that Parse must
// report for it: summary, and where its subject starts.
var invalidCases = map[string]struct {
	summary      string
	line, column int
}{
	"args_not_list.hcl":                      {"Incorrect attribute value type", 3, 13},
	"args_null_element.hcl":                  {"Null element", 3, 13},
	"bad_duration.hcl":                       {"Invalid duration", 4, 16},
	"bad_plugin_name.hcl":                    {"Invalid plugin name", 1, 8},
	"bad_role_name.hcl":                      {"Invalid role name", 1, 6},
	"chain_into_cycle.hcl":                   {"Cycle in source_role", 8, 17},
	"conditional.hcl":                        {"Unsupported expression", 3, 12},
	"cycle_three_roles.hcl":                  {"Cycle in source_role", 3, 17},
	"duplicate_attribute.hcl":                {"Attribute redefined", 3, 3},
	"duplicate_plugin.hcl":                   {`Duplicate plugin "vault"`, 5, 1},
	"duplicate_role.hcl":                     {`Duplicate role "a"`, 9, 3},
	"empty.hcl":                              {"No roles", 1, 1},
	"endpoint_not_url.hcl":                   {"Invalid endpoint URL", 3, 14},
	"endpoint_wrong_scheme.hcl":              {"Invalid endpoint URL", 3, 14},
	"env_too_many_arguments.hcl":             {"Invalid function argument", 3, 57},
	"env_unset.hcl":                          {"Environment variable not set", 3, 12},
	"file_missing.hcl":                       {"Cannot read file", 3, 12},
	"for_expression.hcl":                     {"Unsupported expression", 3, 13},
	"invalid_utf8.hcl":                       {"Invalid character encoding", 3, 21},
	"mandatory_not_shorter.hcl":              {"Mandatory window too long", 5, 17},
	"mandatory_not_shorter_than_default.hcl": {"Mandatory window too long", 4, 17},
	"missing_label.hcl":                      {"Missing name for role", 1, 6},
	"missing_source.hcl":                     {"Missing required argument", 1, 10},
	"negative_duration.hcl":                  {"Invalid duration", 4, 17},
	"no_roles.hcl":                           {"No roles", 1, 1},
	"number_out_of_range.hcl":                {"Number out of range", 3, 12},
	"operator.hcl":                           {"Unsupported expression", 3, 23},
	"plugin_empty_command.hcl":               {"Empty command", 2, 13},
	"plugin_without_command.hcl":             {"Missing command or source", 1, 16},
	"plugin_source_without_version.hcl":      {"Missing version", 2, 12},
	"plugin_command_and_source.hcl":          {"Both command and source", 3, 13},
	"plugin_bad_version.hcl":                 {"Invalid version constraint", 3, 13},
	"plugin_bad_signing_key.hcl":             {"Invalid signing_key", 4, 17},
	"plugin_version_without_source.hcl":      {"version without source", 3, 13},
	"refresh_with_label.hcl":                 {"Extraneous label for refresh", 3, 11},
	"role_two_labels.hcl":                    {"Extraneous label for role", 1, 10},
	"self_source_role.hcl":                   {"Role is its own source", 3, 17},
	"sha256_not_hex.hcl":                     {"Invalid sha256", 3, 13},
	"sha256_too_short.hcl":                   {"Invalid sha256", 3, 13},
	"source_empty.hcl":                       {"Empty source", 2, 12},
	"source_role_wrong_type.hcl":             {"Incorrect attribute value type", 3, 17},
	"source_wrong_type.hcl":                  {"Incorrect attribute value type", 2, 12},
	"syntax_missing_value.hcl":               {"Invalid expression", 2, 11},
	"syntax_unclosed_block.hcl":              {"Unclosed configuration block", 1, 10},
	"top_level_attribute.hcl":                {"Unsupported argument", 1, 1},
	"two_config_blocks.hcl":                  {"Duplicate config block", 6, 3},
	"two_refresh_blocks.hcl":                 {"Duplicate refresh block", 6, 3},
	"unknown_attribute.hcl":                  {"Unsupported argument", 3, 3},
	"unknown_block.hcl":                      {"Unsupported block type", 4, 3},
	"unknown_function.hcl":                   {"Call to unknown function", 3, 12},
	"unknown_source_role.hcl":                {"Unknown source role", 7, 17},
	"unknown_top_level_block.hcl":            {"Unsupported block type", 2, 1},
	"variable_reference.hcl":                 {"Variables not allowed", 2, 12},
}

// unsetTestVariable makes sure that the variable the invalid files read with env is
// not set, whatever the environment of the test run.
func unsetTestVariable(t *testing.T) {
	t.Helper()
	t.Setenv("BRS_TEST_UNSET_VARIABLE", "") // restores the variable after the test
	if err := os.Unsetenv("BRS_TEST_UNSET_VARIABLE"); err != nil {
		t.Fatal(err)
	}
}

func TestParseInvalid(t *testing.T) {
	unsetTestVariable(t)
	files, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 24 {
		t.Fatalf("found %d invalid files, want at least 24", len(files))
	}
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		seen[name] = true
		t.Run(strings.TrimSuffix(name, ".hcl"), func(t *testing.T) {
			want, ok := invalidCases[name]
			if !ok {
				t.Fatalf("%s has no entry in invalidCases", name)
			}
			f, diags := parseNoPanic(t, path)
			if f == nil {
				t.Fatal("Parse returned a nil File")
			}
			if !diags.HasErrors() {
				t.Fatalf("Parse reported no error; diagnostics: %v", diags)
			}
			checkSubjects(t, diags, path)
			first := firstError(diags)
			if first.Summary != want.summary {
				t.Errorf("first error is %q (%s), want %q", first.Summary, first.Detail, want.summary)
			}
			got := first.Subject
			if got.Filename != path || got.Start.Line != want.line || got.Start.Column != want.column {
				t.Errorf("first error %q at %s:%d,%d, want %s:%d,%d",
					first.Summary, got.Filename, got.Start.Line, got.Start.Column, path, want.line, want.column)
			}

			// The same bytes through ParseSource give the same first error.
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, srcDiags := ParseSource(src, path)
			if s := firstError(srcDiags); s.Summary != first.Summary || *s.Subject != *first.Subject {
				t.Errorf("ParseSource's first error is %q at %v, Parse's %q at %v", s.Summary, s.Subject, first.Summary, first.Subject)
			}

			// And the diagnostics print, with a snippet of the source.
			var buf bytes.Buffer
			if err := WriteDiagnostics(&buf, f.Files(), diags, false); err != nil {
				t.Fatal(err)
			}
			snippet := fmt.Sprintf("on %s line %d", path, want.line)
			if !strings.Contains(buf.String(), first.Summary) || !strings.Contains(buf.String(), snippet) {
				t.Errorf("WriteDiagnostics output lacks %q or %q:\n%s", first.Summary, snippet, buf.String())
			}
		})
	}
	var missing []string
	for name := range invalidCases {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("invalidCases lists files that do not exist: %v", missing)
	}
}

// parseNoPanic calls Parse and fails the test, rather than the test binary, if it
// panics.
func parseNoPanic(t *testing.T, path string) (f *File, diags hcl.Diagnostics) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Parse(%q) panicked: %v", path, r)
		}
	}()
	return Parse(path)
}

// firstError returns the first error in diags, or an empty diagnostic with an empty
// subject when there is none.
func firstError(diags hcl.Diagnostics) *hcl.Diagnostic {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			return d
		}
	}
	return &hcl.Diagnostic{Subject: &hcl.Range{}}
}

// checkSubjects fails the test for any diagnostic without a subject in filename.
func checkSubjects(t *testing.T, diags hcl.Diagnostics, filename string) {
	t.Helper()
	for _, d := range diags {
		switch {
		case d.Subject == nil:
			t.Errorf("diagnostic %q has no subject", d.Summary)
		case d.Subject.Filename != filename || d.Subject.Start.Line < 1 || d.Subject.Start.Column < 1:
			t.Errorf("diagnostic %q has subject %s:%d,%d, want a position in %s",
				d.Summary, d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, filename)
		}
	}
}

func TestParseMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.hcl")
	f, diags := Parse(path)
	if f == nil {
		t.Fatal("Parse returned a nil File")
	}
	if !diags.HasErrors() {
		t.Fatal("Parse of a missing file reported no error")
	}
	checkSubjects(t, diags, path)
	if got := firstError(diags).Summary; got != "Failed to read file" {
		t.Errorf("summary %q, want %q", got, "Failed to read file")
	}
}

// TestDuplicateNamesBothPlaces checks that a duplicate points at the second
// definition and names the first.
func TestDuplicateNamesBothPlaces(t *testing.T) {
	path := filepath.Join("testdata", "invalid", "duplicate_role.hcl")
	_, diags := Parse(path)
	d := firstError(diags)
	if want := "first defined at " + path + ":1,1."; !strings.Contains(d.Detail, want) {
		t.Errorf("detail %q does not contain %q", d.Detail, want)
	}
}

func TestCycleDetail(t *testing.T) {
	for file, want := range map[string]string{
		"cycle_three_roles.hcl": `role "c" → "a" → "b" → "c"`,
		"chain_into_cycle.hcl":  `role "a" → "b" → "a"`,
	} {
		_, diags := Parse(filepath.Join("testdata", "invalid", file))
		var cycles []*hcl.Diagnostic
		for _, d := range diags {
			if d.Summary == "Cycle in source_role" {
				cycles = append(cycles, d)
			}
		}
		if len(cycles) != 1 {
			t.Errorf("%s: %d cycle diagnostics, want 1: %v", file, len(cycles), diags)
			continue
		}
		if !strings.Contains(cycles[0].Detail, want) {
			t.Errorf("%s: detail %q does not spell the cycle %s", file, cycles[0].Detail, want)
		}
	}
}

func TestUnknownSourceRoleSuggestion(t *testing.T) {
	_, diags := Parse(filepath.Join("testdata", "invalid", "unknown_source_role.hcl"))
	d := firstError(diags)
	if want := `Did you mean "base"?`; !strings.Contains(d.Detail, want) {
		t.Errorf("detail %q lacks %q", d.Detail, want)
	}
}

// TestAllErrorsReported checks that Parse does not stop at the first problem of a
// well-formed file, and that its diagnostics come in source order.
func TestAllErrorsReported(t *testing.T) {
	src := `
role "a" {
  source = ""
  refresh {
    advisory = "soon"
  }
}

role "b" {
  source      = "sts"
  endpoint    = "localhost"
  source_role = "nobody"
}
`
	_, diags := ParseSource([]byte(src), "many.hcl")
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary)
	}
	want := []string{"Empty source", "Invalid duration", "Invalid endpoint URL", "Unknown source role"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("summaries %q, want %q", got, want)
	}
}
