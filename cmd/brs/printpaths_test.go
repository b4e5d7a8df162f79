package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/safetext"
)

// hostileText is an OSC that retitles the terminal, a CSI that clears it, a C1 CSI, a
// carriage return that would overwrite the line, and a bidi override.
const hostileText = "\x1b]0;pwned\x07\x1b[2J\u009b1A\rforged\u202e"

// checkPrinted fails the test if out holds a character a terminal acts on, other than
// the newlines and tabs that shape lines and tables.
func checkPrinted(t *testing.T, what, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if safetext.NeedsEscape(strings.ReplaceAll(line, "\t", " ")) {
			t.Errorf("%s: a control character reached the terminal: %q", what, line)
		}
	}
}

// TestEveryPrintPathEscapes feeds ESC, CSI, OSC, C1, carriage-return and bidi text
// through the print paths that do not pass through errorf's own escaping: a file name
// in brs import's stdout comments and stderr notes, an AWS profile name, HCL
// diagnostics that quote a config file's lines, a role name typed on the command
// line, and a plugin's error text. Every byte brs writes goes through one funnel
// (safetext.Writer around stdout and stderr), so none reaches the terminal raw.
func TestEveryPrintPathEscapes(t *testing.T) {
	dir := t.TempDir()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, "credentials"))

	// brs import of a file whose name and profile names are hostile: the file name is
	// in stdout's header comment and in stderr's note about signing profiles.
	awsFile := filepath.Join(dir, "aws"+hostileText)
	if err := os.WriteFile(awsFile, []byte("[profile keys]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n"+
		"[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = keys\n"+
		"[profile bad"+hostileText+"]\nrole_arn = arn:aws:iam::123456789012:role/bad\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runBRS(t, "import", awsFile)
	if r.code != exitOK || !strings.Contains(r.stdout, `\x1b]0;pwned\x07`) {
		t.Errorf("import: exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	checkPrinted(t, "import stdout", r.stdout)
	checkPrinted(t, "import stderr", r.stderr)

	// brs validate of a file whose diagnostics quote a hostile line.
	cfg := writeHCL(t, dir, "brs.hcl", "role \"ok\" {\n  source = \"sts\"\n  nosuch = \"x\" # "+hostileText+"\n}\n")
	r = runBRS(t, "-c", cfg, "validate")
	if r.code != exitError || !strings.Contains(r.stderr, "nosuch") {
		t.Errorf("validate: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	checkPrinted(t, "validate stderr", r.stderr)

	// A role name typed on the command line, in the unknown-role error.
	cfg = writeHCL(t, dir, "roles.hcl", testRoles)
	r = runBRS(t, "-c", cfg, "credential-process", "a"+hostileText)
	if r.code != exitError {
		t.Errorf("unknown role: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	checkPrinted(t, "unknown role stderr", r.stderr)

	// A plugin's error text, in brs exec's failure and in the log.
	cfg = writeHCL(t, dir, "loud.hcl", `plugin "test" {
  command = "{{test}}"
}
role "loud" {
  source = "test"
  config {
    fail         = "AccessDenied"
    fail_message = "\u001b]0;pwned\u0007\u001b[2J\r\u202eforged"
  }
}
`)
	r = runBRS(t, "-c", cfg, "--log-level", "debug", "exec", "loud", "--", "true")
	if r.code != exitError || !strings.Contains(r.stderr, `\x1b]0;pwned`) {
		t.Errorf("exec: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	checkPrinted(t, "exec stderr", r.stderr)
}
