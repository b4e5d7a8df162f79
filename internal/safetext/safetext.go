// Package safetext makes text that brs did not write (a plugin's error message, an
// ARN, a diagnostic) safe to print on a terminal or in a log line: control characters
// are escaped, so an ESC sequence cannot move the cursor, recolour or retitle the
// terminal, and a newline cannot forge a line; overlong text is cut with a marker.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with every character that could change how a terminal shows
// text written in Go-style escapes: C0 controls including newline and tab (\n, \t,
// \x1b), DEL, C1 controls (\u009b), Unicode bidirectional and invisible formatting
// controls (\u202e, \u2066, \u200b …), and bytes that are not UTF-8 (\xff). Printable
// text, including non-ASCII letters, is kept as it is. A backslash itself is not
// escaped: the result is for people, not for parsing back.
func Escape(s string) string {
	if !NeedsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// NeedsEscape reports whether Escape would change s.
func NeedsEscape(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || unsafe(r) {
			return true
		}
		i += size
	}
	return false
}

// unsafe reports whether r, outside ASCII, is a control or formatting character that
// a terminal acts on or that hides or reorders text: C1 controls, the bidirectional
// marks, embeddings, overrides and isolates, zero-width characters, the line and
// paragraph separators, and the byte order mark.
func unsafe(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1, including CSI (0x9b)
		return true
	case r == 0x061c, r == 0x00ad: // Arabic letter mark, soft hyphen
		return true
	case r >= 0x200b && r <= 0x200f: // zero-width space/joiners, LRM, RLM
		return true
	case r >= 0x2028 && r <= 0x202e: // line/paragraph separators, bidi embeddings and overrides
		return true
	case r >= 0x2060 && r <= 0x206f: // word joiner, invisible operators, bidi isolates
		return true
	case r == 0xfeff: // byte order mark
		return true
	}
	return false
}

// Truncate returns s cut to at most max bytes followed by a marker that says how long
// s was; s itself if it is not longer than max. The cut never splits a word made of
// the characters keys and tokens are written with (letters, digits, "+/=_-."): the
// whole word is dropped, so that half of a secret, which a redactor that knows the
// secret would not recognise, is never left behind.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if tokenChar(s[cut]) {
		for cut > 0 && tokenChar(s[cut-1]) {
			cut--
		}
	}
	return fmt.Sprintf("%s… [cut: %d bytes in all]", s[:cut], len(s))
}

// tokenChar reports whether c can be part of a key, a token or a base64 text.
func tokenChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+/=_-.", c) >= 0
}

// Clean is Truncate then Escape: text from outside, bounded and made printable.
func Clean(s string, max int) string { return Escape(Truncate(s, max)) }
