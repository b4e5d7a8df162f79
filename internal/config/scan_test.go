package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// scannedTokens returns the tokens of src as the scanner yields them, one per line
// as "type start end".
func scannedTokens(src []byte) []string {
	var out []string
	s := newScanner(src)
	for {
		typ, start, end, ok := s.next()
		if !ok {
			return out
		}
		out = append(out, fmt.Sprintf("%s %d %d", typ, start, end))
	}
}

// hclTokens returns the tokens of src as hclsyntax.LexConfig yields them, in the
// form of scannedTokens.
func hclTokens(src []byte) []string {
	toks, _ := hclsyntax.LexConfig(src, "x.hcl", hcl.InitialPos)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, fmt.Sprintf("%s %d %d", t.Type, t.Range.Start.Byte, t.Range.End.Byte))
	}
	return out
}

// sameTokens fails t unless the scanner and HCL's lexer agree on src.
func sameTokens(t *testing.T, name string, src []byte) {
	t.Helper()
	got, want := scannedTokens(src), hclTokens(src)
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			lo := max(i-3, 0)
			t.Fatalf("%s: token %d: scanner %q, HCL %q\nsource %q\nscanner %q\nHCL     %q", name, i, g, w, src,
				got[lo:min(i+2, len(got))], want[lo:min(i+2, len(want))])
		}
	}
}

// scannerCases are sources that exercise every rule of HCL's scanner.
var scannerCases = []string{
	``, "\xef\xbb\xbfa = 1\n", "a = 1\r\nb = 2\n", "a\r", "\r",
	`a = [1, 2.5, 1e3, 1E+4, 1e-5, 1., 1.., 1..., 1.e5, 1e, 1ex, 12.34.56, 0x1F]`,
	"a = x.y[0].*[\"k\"] # c\nb = 1 // d\nc = /* e\n */ 2 /* f",
	"a = 1 / 2 /",
	"a = !b && c || d == e != f < g <= h > i >= j ? k : l\n", "a = ::x => y ... ; ^ & | ` ' ~",
	`a = "x\"y\\z\u00e9$$x$%${b}%{if c}d%{else}e%{endif}$${f}%%{g}${~h~}%{~ for x in y ~}"`,
	"a = \"$", "a = \"%", "a = \"a$\"", "a = \"\\\n\"", "a = \"x\ny\"\nb = 1", "a = \"x\r\n\r\ny\"",
	"a = \"\\", "a = \"${{a=1}}\"", "a = \"${ {a=\"${b}\"} }\"", "a = \"${ a ~}\"",
	"a = <<EOT\nx\n  EOT\nb = 1\n", "a = <<-EOT\r\n  x${y}z\r\n  EOT\r\n", "a = <<EOT\nEOT x\nx EOT\n$x\n$\n$${\nEOT\n",
	"a = <<EOT\n%{ if a }x%{ endif }\n${b}EOT\nEOT\n", "a = <<EOT\nx\ry\nEOT\n", "a = <<EOT\nx$", "a = <<EOT\nx",
	"a = << EOT\n", "a = <<EOT", "a = <<-\n", "a = <<E-T_1\nx\nE-T_1\n",
	"a = <<A\n${<<B\nb\nB\n}\nA\n",
	"a = {\n x = 1\n}\n}\n}", "a = \"${}}}\"", "a = ~}", "a = \"${a~}}\"",
	"é = 1\nπ_x-y = 2\n_a = 3\n-a\n٣ = 4", "a = \xff\xfe", "a = \"\xff\"", "a = <<EOT\n\xff\nEOT\n", "a = \xc3",
	"a = \"\xc3\"", "a = x\xcc\x81y", "a = \u00a0", "a = <<EOT\n\xc3\xa9\nEOT\n",
	"role \"a\" {\n  source = \"sts\"\n  config {\n    role_arn = \"arn:aws:iam::1:role/x\"\n  }\n}\n",
}

// TestScannerMatchesHCL: the scanner yields the tokens HCL's lexer does, on sources
// that use every rule of HCL's scanner, on the test files and on the hostile inputs.
func TestScannerMatchesHCL(t *testing.T) {
	for i, src := range scannerCases {
		sameTokens(t, fmt.Sprintf("case %d", i), []byte(src))
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sameTokens(t, path, src)
	}
	for _, in := range hostileInputs() {
		if len(in.src) < 100_000 {
			sameTokens(t, in.name, []byte(in.src))
		}
	}
	// Every prefix of a file that uses most rules: the scanner's ends of input.
	all := strings.Join(scannerCases, "\n")
	for i := range len(all) {
		sameTokens(t, fmt.Sprintf("prefix %d", i), []byte(all[:i]))
	}
}

// FuzzScannerMatchesHCL: on any input, the scanner yields the tokens HCL's lexer does.
func FuzzScannerMatchesHCL(f *testing.F) {
	for _, src := range scannerCases {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if !utf8.Valid(src) {
			return // checkLimits refuses it before scanning (TestInvalidUTF8Refused)
		}
		sameTokens(t, "fuzz", src)
	})
}
