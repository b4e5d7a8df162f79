package safetext_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/brs-go/brs/internal/safetext"
)

// TestWriter: newlines and tabs pass, every other control is escaped as Escape does,
// the kept sequences pass, a write reports the length it was given, and a character
// split between two writes arrives whole.
func TestWriter(t *testing.T) {
	var out bytes.Buffer
	w := safetext.NewWriter(&out, "\x1b[31m", "\x1b[0m")
	for in, want := range map[string]string{
		"plain\ttab\nline\n":             "plain\ttab\nline\n",
		"\x1b]0;title\x07 \x1b[2J":       `\x1b]0;title\x07 \x1b[2J`,
		"\x1b[31mError\x1b[0m: \x1b[32m": "\x1b[31mError\x1b[0m: " + `\x1b[32m`,
		"cr\rover \u009b1A bidi\u202e":   `cr\rover \u009b1A bidi\u202e`,
		"bad \xff utf8, café ✓":          `bad \xff utf8, café ✓`,
	} {
		out.Reset()
		n, err := fmt.Fprint(w, in)
		if err != nil || n != len(in) || out.String() != want {
			t.Errorf("Write(%q) = %d, %v, wrote %q, want %q", in, n, err, out.String(), want)
		}
	}
	out.Reset()
	_, _ = w.Write([]byte("caf\xc3"))
	_, _ = w.Write([]byte("\xa9 \xc2"))
	_, _ = w.Write([]byte("\x9b1A"))
	if got, want := out.String(), "café "+`\u009b`+"1A"; got != want {
		t.Errorf("split writes wrote %q, want %q", got, want)
	}
}
