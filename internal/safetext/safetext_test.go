package safetext_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/brs-go/brs/internal/safetext"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain ARN arn:aws:iam::1:role/x": "plain ARN arn:aws:iam::1:role/x",
		"café ünïcode ✓":                  "café ünïcode ✓",
		"\x1b[31mred\x1b[0m":              `\x1b[31mred\x1b[0m`,
		"\x1b]0;title\x07":                `\x1b]0;title\x07`,
		"two\nlines\r\tand tab":           `two\nlines\r\tand tab`,
		"del\x7f":                         `del\x7f`,
		"c1 \u009b31m":                    `c1 \u009b31m`,
		"bidi \u202eevil\u2066":           `bidi \u202eevil\u2066`,
		"zero\u200bwidth \ufeff":          `zero\u200bwidth \ufeff`,
		"bad \xff\xfe utf8":               `bad \xff\xfe utf8`,
		"nul\x00":                         `nul\x00`,
	} {
		if got := safetext.Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
		if safetext.NeedsEscape(in) != (in != want) {
			t.Errorf("NeedsEscape(%q) = %v", in, !(in != want))
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := safetext.Truncate("short", 10); got != "short" {
		t.Errorf("%q", got)
	}
	if got := safetext.Truncate(strings.Repeat("a ", 10), 10); got != "a a a a a … [cut: 20 bytes in all]" {
		t.Errorf("%q", got)
	}
	// A word that the cut would split is dropped whole: half a secret is not left for
	// a redactor that knows only the whole one.
	secret := "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	if got := safetext.Truncate("the key is "+secret, 20); got != "the key is … [cut: 51 bytes in all]" {
		t.Errorf("%q", got)
	}
	if got := safetext.Truncate(secret, 20); got != "… [cut: 40 bytes in all]" {
		t.Errorf("%q", got)
	}
	// Never cuts a character in two.
	if got := safetext.Truncate("ééééé", 3); got != "é… [cut: 10 bytes in all]" {
		t.Errorf("%q", got)
	}
}

// FuzzClean: whatever comes in, what comes out is valid UTF-8 without a control
// character, and bounded.
func FuzzClean(f *testing.F) {
	f.Add("\x1b[2J\u202e\xff", 4)
	f.Add("plain", 100)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1<<16 {
			return
		}
		out := safetext.Clean(s, max)
		if !utf8.ValidString(out) || safetext.NeedsEscape(out) {
			t.Fatalf("Clean(%q) = %q", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				t.Fatalf("Clean(%q) = %q holds %U", s, out, r)
			}
		}
		if len(out) > 4*max+64 {
			t.Fatalf("Clean(%d bytes, %d) = %d bytes", len(s), max, len(out))
		}
	})
}
