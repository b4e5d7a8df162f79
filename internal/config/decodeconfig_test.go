package config

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/shared"
)

// testSchema has an attribute of every type, some required, some sensitive.
var testSchema = shared.Schema{
	Description: "A source for tests.",
	Attributes: []shared.Attribute{
		{Name: "role_arn", Type: shared.TypeString, Required: true},
		{Name: "session_name", Type: shared.TypeString},
		{Name: "duration", Type: shared.TypeNumber},
		{Name: "enabled", Type: shared.TypeBool},
		{Name: "policy_arns", Type: shared.TypeStringList},
		{Name: "tags", Type: shared.TypeStringMap, Sensitive: true},
		{Name: "external_id", Type: shared.TypeString, Sensitive: true},
		{Name: "tokens", Type: shared.TypeStringList, Sensitive: true},
	},
}

// parseRole parses src, which must be valid, as cfg.hcl in a temporary directory and
// returns its role "a".
func parseRole(t *testing.T, src string) (*File, *Role) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cfg.hcl")
	f, diags := ParseSource([]byte(src), path)
	if diags.HasErrors() {
		t.Fatalf("ParseSource: %v", diags)
	}
	r := f.Role("a")
	if r == nil {
		t.Fatal("no role a")
	}
	return f, r
}

// decodeErr decodes role a of src against testSchema and returns its first error,
// failing the test if there is none or if a Decoded comes back anyway.
func decodeErr(t *testing.T, src string) (*Role, *hcl.Diagnostic) {
	t.Helper()
	f, r := parseRole(t, src)
	dec, diags := DecodeConfig(r, testSchema)
	if !diags.HasErrors() {
		t.Fatalf("DecodeConfig reported no error, JSON %s", dec.JSON)
	}
	if dec != nil {
		t.Error("DecodeConfig returned a Decoded along with errors")
	}
	checkSubjects(t, diags, f.Path)
	return r, firstError(diags)
}

func TestDecodeConfig(t *testing.T) {
	src := `role "a" {
  source = "test"
  config {
    role_arn     = "arn:aws:iam::111122223333:role/a"
    session_name = null
    duration     = 3600
    enabled      = true
    policy_arns  = ["arn:1", "arn:2"]
    tags         = { team = "data", k = "v" }
    external_id  = "ext-id"
    tokens       = ["t1", "", "t2"]
  }
}
`
	_, r := parseRole(t, src)
	dec, diags := DecodeConfig(r, testSchema)
	if len(diags) > 0 {
		t.Fatalf("DecodeConfig: %v", diags)
	}
	want := `{"duration":3600,"enabled":true,"external_id":"ext-id","policy_arns":["arn:1","arn:2"],"role_arn":"arn:aws:iam::111122223333:role/a","tags":{"k":"v","team":"data"},"tokens":["t1","","t2"]}`
	if string(dec.JSON) != want {
		t.Errorf("JSON\n%s\nwant\n%s", dec.JSON, want)
	}
	// Schema order; map values by key; empty strings left out.
	if want := []string{"v", "data", "ext-id", "t1", "t2"}; !reflect.DeepEqual(dec.Sensitive, want) {
		t.Errorf("Sensitive %q, want %q", dec.Sensitive, want)
	}

	// The JSON decodes into a struct with the same fields, as sources do.
	var cfg struct {
		RoleARN    string            `json:"role_arn"`
		Duration   float64           `json:"duration"`
		Enabled    bool              `json:"enabled"`
		PolicyARNs []string          `json:"policy_arns"`
		Tags       map[string]string `json:"tags"`
		ExternalID string            `json:"external_id"`
		Tokens     []string          `json:"tokens"`
	}
	if err := dec.JSON.Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Duration != 3600 || !cfg.Enabled || cfg.Tags["team"] != "data" {
		t.Errorf("decoded %+v", cfg)
	}

	startsAt(t, `Range("role_arn")`, dec.Range("role_arn"), r.DeclRange.Filename, 4, 20)
	startsAt(t, `Range("tokens")`, dec.Range("tokens"), r.DeclRange.Filename, 11, 20)
	startsAt(t, `Range("session_name")`, dec.Range("session_name"), r.DeclRange.Filename, 5, 20) // written, though null
	startsAt(t, `Range("")`, dec.Range(""), r.DeclRange.Filename, 3, 3)
	if dec.Range("nope") != r.ConfigRange {
		t.Errorf(`Range("nope") = %v, want the config block's %v`, dec.Range("nope"), r.ConfigRange)
	}
}

func TestDecodeConfigNumbers(t *testing.T) {
	_, r := parseRole(t, `role "a" {
  source = "test"
  config {
    role_arn = "x"
    duration = 1.5
  }
}`)
	dec, diags := DecodeConfig(r, testSchema)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if want := `{"duration":1.5,"role_arn":"x"}`; string(dec.JSON) != want {
		t.Errorf("JSON %s, want %s", dec.JSON, want)
	}
	if dec.Sensitive != nil {
		t.Errorf("Sensitive %q, want none", dec.Sensitive)
	}
}

func TestDecodeConfigEmptySchema(t *testing.T) {
	_, r := parseRole(t, `role "a" { source = "test" }`)
	dec, diags := DecodeConfig(r, shared.Schema{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if string(dec.JSON) != "{}" {
		t.Errorf("JSON %s, want {}", dec.JSON)
	}
	if dec.Range("x") != r.DeclRange {
		t.Errorf("Range without config block = %v, want the role's %v", dec.Range("x"), r.DeclRange)
	}
}

func TestDecodeConfigFunctions(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "arn.txt"), "arn:aws:iam::111122223333:role/from-file")
	t.Setenv("BRS_TEST_EXTERNAL_ID", "ext-from-env")
	path := filepath.Join(dir, "brs.hcl")
	f, diags := ParseSource([]byte(`role "a" {
  source = "test"
  config {
    role_arn    = file("arn.txt")
    external_id = env("BRS_TEST_EXTERNAL_ID")
    tags        = { fallback = env("BRS_TEST_NOT_SET_EITHER", "dflt") }
  }
}`), path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	dec, diags := DecodeConfig(f.Role("a"), testSchema)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := `{"external_id":"ext-from-env","role_arn":"arn:aws:iam::111122223333:role/from-file","tags":{"fallback":"dflt"}}`
	if string(dec.JSON) != want {
		t.Errorf("JSON %s, want %s", dec.JSON, want)
	}
	// The sensitive attributes, then what env() and file() returned.
	if want := []string{"dflt", "ext-from-env", "arn:aws:iam::111122223333:role/from-file"}; !reflect.DeepEqual(dec.Sensitive, want) {
		t.Errorf("Sensitive %q, want %q", dec.Sensitive, want)
	}
}

func TestDecodeConfigErrors(t *testing.T) {
	unsetTestVariable(t)
	cases := []struct {
		name         string
		config       string
		summary      string
		detail       string // a part of the detail
		line, column int
	}{
		{"missing required", `config {
    session_name = "s"
  }`, "Missing required argument", `"role_arn" is required`, 3, 10},
		{"unknown attribute", `config {
    role_arn = "x"
    sesion_name = "y"
  }`, "Unsupported argument", `Did you mean "session_name"?`, 5, 5},
		{"list for string", `config {
    role_arn = ["a", "b"]
  }`, "Incorrect attribute value type", `"role_arn"`, 4, 16},
		{"string for number", `config {
    role_arn = "x"
    duration = "one hour"
  }`, "Incorrect attribute value type", "a number is required", 5, 16},
		{"map for list", `config {
    role_arn    = "x"
    policy_arns = { a = "b" }
  }`, "Incorrect attribute value type", `"policy_arns"`, 5, 19},
		{"nested block", `config {
    role_arn = "x"
    tags {
      a = "b"
    }
  }`, "Unsupported block type", `"tags"`, 5, 5},
		{"null element", `config {
    role_arn = "x"
    tokens   = ["a", null]
  }`, "Null element", "tokens", 5, 16},
		{"env unset", `config {
    role_arn = env("BRS_TEST_UNSET_VARIABLE")
  }`, "Environment variable not set", `"BRS_TEST_UNSET_VARIABLE"`, 4, 16},
		{"file missing", `config {
    role_arn = file("missing.txt")
  }`, "Cannot read file", "missing.txt: no such file or directory", 4, 16},
		{"variable", `config {
    role_arn = var.role_arn
  }`, "Variables not allowed", "", 4, 16},
		{"operator", `config {
    role_arn = "x"
    duration = 60 * 60
  }`, "Unsupported expression", "an operator", 5, 16},
		{"no config block", ``, "Missing required argument", `Role "a" needs a config block.`, 1, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, d := decodeErr(t, "role \"a\" {\n  source = \"test\"\n  "+c.config+"\n}\n")
			if d.Summary != c.summary || !strings.Contains(d.Detail, c.detail) {
				t.Errorf("first error %q: %q, want %q containing %q", d.Summary, d.Detail, c.summary, c.detail)
			}
			startsAt(t, "subject", *d.Subject, r.DeclRange.Filename, c.line, c.column)
		})
	}
}

func TestDecodeConfigBadSchema(t *testing.T) {
	_, r := parseRole(t, `role "a" { source = "test" }`)
	for name, schema := range map[string]shared.Schema{
		"unknown type": {Attributes: []shared.Attribute{{Name: "x", Type: "set(string)"}}},
	} {
		dec, diags := DecodeConfig(r, schema)
		d := firstError(diags)
		if dec != nil || d.Summary != "Invalid source schema" || *d.Subject != r.SourceRange {
			t.Errorf("%s: got %v, %q at %v; want an error at the role's source", name, dec, d.Summary, d.Subject)
		}
	}
}

func TestDecodeConfigNilRole(t *testing.T) {
	dec, diags := DecodeConfig(nil, testSchema)
	if dec != nil || !diags.HasErrors() || diags[0].Subject == nil {
		t.Errorf("DecodeConfig(nil) = %v, %v; want an error with a subject", dec, diags)
	}
	if got := (*Decoded)(nil).Range("x"); got != (hcl.Range{}) {
		t.Errorf("nil Decoded's Range = %v", got)
	}
}

// TestDecodeConfigTooLarge: a config block whose values exceed MaxConfigSize is a
// diagnostic at the block, not a request the plugin's gRPC server refuses.
func TestDecodeConfigTooLarge(t *testing.T) {
	dir := t.TempDir()
	// Two files within file()'s limit of 1 MiB each, together over MaxConfigSize.
	writeFile(t, filepath.Join(dir, "a.txt"), strings.Repeat("a", 600<<10))
	writeFile(t, filepath.Join(dir, "b.txt"), strings.Repeat("b", 600<<10))
	path := filepath.Join(dir, "brs.hcl")
	f, diags := ParseSource([]byte(`role "a" {
  source = "test"
  config {
    role_arn    = file("a.txt")
    policy_arns = [file("b.txt")]
  }
}`), path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	dec, diags := DecodeConfig(f.Role("a"), testSchema)
	d := firstError(diags)
	if dec != nil || d == nil || d.Summary != "Config block too large" {
		t.Fatalf("Decoded %v, first error %v; want Config block too large", dec, d)
	}
	startsAt(t, "error", *d.Subject, path, 3, 3)
	if !strings.Contains(d.Detail, "1201 KiB") || !strings.Contains(d.Detail, "at most 1024 KiB") {
		t.Errorf("detail %q does not give the size and the limit", d.Detail)
	}
}

// TestDecodeConfigRedactsEnvAndFile: Decoded.Sensitive lists what env() returned in a
// config block in the forms a plugin might quote it in (whole, escaped as by %q, line
// by line), and a diagnostic quoting it in those forms is redacted. (HCL's own
// messages quote no value today; the redaction keeps that so whatever they say.)
func TestDecodeConfigRedactsEnvAndFile(t *testing.T) {
	const secret = "line-one-secret\n\"quoted\" secret line"
	t.Setenv("BRS_TEST_MULTILINE_SECRET", secret)
	_, r := parseRole(t, `role "a" {
  source = "test"
  config {
    role_arn    = env("BRS_TEST_MULTILINE_SECRET")
    external_id = "${env("BRS_TEST_MULTILINE_SECRET")}-suffix"
  }
}`)
	dec, diags := DecodeConfig(r, testSchema)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, want := range []string{secret, `line-one-secret\n\"quoted\" secret line`, "line-one-secret", `"quoted" secret line`} {
		if !slices.Contains(dec.Sensitive, want) {
			t.Errorf("Sensitive %q lacks %q", dec.Sensitive, want)
		}
	}
	// A diagnostic that quotes the value, as a source's Validate might.
	var s seen
	s.record(secret)
	out := s.redact(hcl.Diagnostics{{Summary: "Bad " + secret, Detail: fmt.Sprintf("%q is wrong; line 1 is %s", secret, "line-one-secret")}})
	if d := out[0]; strings.Contains(d.Summary+d.Detail, "secret") {
		t.Errorf("redacted diagnostic still shows the secret: %q / %q", d.Summary, d.Detail)
	}
}
