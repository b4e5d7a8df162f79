package config

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// bigInput is a file of nearly MaxFileSize built to make HCL's lexer and parser
// spend: the offset of the token where it must be refused, and the error.
type bigInput struct {
	name    string
	src     []byte
	at      int // byte offset of the diagnostic's start
	summary string
}

// fill repeats unit after prefix up to n bytes short of MaxFileSize, then adds
// suffix.
func fill(prefix, unit, suffix string) []byte {
	n := (MaxFileSize - len(prefix) - len(suffix) - 16) / len(unit)
	var b bytes.Buffer
	b.Grow(MaxFileSize)
	b.WriteString(prefix)
	for range n {
		b.WriteString(unit)
	}
	b.WriteString(suffix)
	return b.Bytes()
}

func bigInputs() []bigInput {
	role := "role \"a\" {\n  source = \"s\"\n  config {\n    "
	inner := "[" + strings.Repeat("1,", MaxCollectionItems-1) + "1],"
	nested := role + "x = [" + strings.Repeat(inner, MaxCollectionItemsTotal/MaxCollectionItems)
	return []bigInput{
		// The shape of issue 14: 19 s and 3 GB before.
		{"numbers", fill(role+"policy_arns = [", "1,", "1]\n  }\n}\n"), len(role) + len("policy_arns = "), "Too many elements"},
		// Lists of lists, each under the limit of one list: the total is the limit.
		// Each inner list is 1,001 elements (itself and its own), so the 10th holds
		// the 10,001st.
		{"nested lists", fill(nested, "[1,1,1,1,1,1,1,1,1,1],", "[1]]\n  }\n}\n"), len(role) + len("x = [") + 9*len(inner), "Too many elements"},
		{"objects", fill(role+"tags = {", "a=1,", "a=1}\n  }\n}\n"), len(role) + len("tags = "), "Too many elements"},
		{"long string", fill(role+"x = \"", "a", "\"\n  }\n}\n"), len(role) + len("x = "), "String too long"},
		{"long heredoc line", fill(role+"x = <<EOT\n", "a", "\nEOT\n  }\n}\n"), len(role) + len("x = "), "String too long"},
		{"many blocks", fill("", "a {}\n", ""), MaxTokens / 4 * len("a {}\n"), "File too long"},
		{"many attributes", fill("", "a = 1\n", ""), MaxTokens / 4 * len("a = 1\n"), "File too long"},
		{"comments", fill("", "#\n", ""), MaxTokens * len("#\n"), "File too long"},
	}
}

// TestLargeFilesBounded: a file under the size cap built to make HCL's lexer and
// parser spend (8 MiB of one-byte tokens was 8 million tokens, ~3 GB and 19 s) is
// refused at the list, string or token that exceeds a limit, with almost no memory:
// the limits are checked on a scanner that builds no tokens, before HCL lexes.
func TestLargeFilesBounded(t *testing.T) {
	for _, in := range bigInputs() {
		t.Run(in.name, func(t *testing.T) {
			if len(in.src) > MaxFileSize || len(in.src) < MaxFileSize-1024 {
				t.Fatalf("input of %d bytes, want just under %d", len(in.src), MaxFileSize)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, diags := ParseSource(in.src, "big.hcl")
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			d := firstError(diags)
			want := posAt(in.src, in.at)
			if d.Summary != in.summary || d.Subject.Filename != "big.hcl" || d.Subject.Start != want {
				t.Fatalf("first error %q at %v, want %q at big.hcl:%d,%d (byte %d)", d.Summary, d.Subject, in.summary, want.Line, want.Column, want.Byte)
			}
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want the limit's only", len(diags))
			}
			// HCL's lexer alone holds ~100 bytes per token; the scanner holds its
			// stacks.
			if allocated > 1<<20 {
				t.Fatalf("ParseSource allocated %d KiB, want under 1 MiB", allocated>>10)
			}
			t.Logf("%s: %d KiB allocated, %s", in.name, allocated>>10, d.Subject)
		})
	}
}

// TestPosAt: the positions of the scanner's diagnostics are HCL's, columns counted in
// grapheme clusters, a byte order mark not counted.
func TestPosAt(t *testing.T) {
	src := []byte("\xef\xbb\xbfa = 1\nb = \"e\u0301\u00e9\" [\r\n  x")
	for _, c := range []struct{ off, line, col int }{
		{3, 1, 1}, {4, 1, 2}, {9, 2, 1}, {13, 2, 5}, {14, 2, 6}, {17, 2, 7}, {19, 2, 8}, {21, 2, 10}, {24, 3, 1}, {26, 3, 3},
	} {
		if p := posAt(src, c.off); p.Line != c.line || p.Column != c.col || p.Byte != c.off {
			t.Errorf("posAt(%d) = %d,%d byte %d; want %d,%d", c.off, p.Line, p.Column, p.Byte, c.line, c.col)
		}
	}
}

// BenchmarkHostileParse is ParseSource of each file of TestLargeFilesBounded; with
// -benchmem, the bytes it allocates.
func BenchmarkHostileParse(b *testing.B) {
	for _, in := range bigInputs() {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, diags := ParseSource(in.src, "big.hcl"); !diags.HasErrors() {
					b.Fatalf("%s parsed", in.name)
				}
			}
		})
	}
}

// TestInvalidUTF8Refused: a file that is not UTF-8 is refused at its first broken
// byte before it is scanned. HCL's lexer reads some broken sequences as identifiers
// that swallow the next bytes ("\xf0\xac00" is one identifier to it), so a quote
// could hide from the scanner that checks the limits.
func TestInvalidUTF8Refused(t *testing.T) {
	src := "role \"a\" {\n  source = \"s\"\n  x\xf0\xac\"" + strings.Repeat("(", 5000) + "\n}\n"
	_, diags := ParseSource([]byte(src), "bad.hcl")
	d := firstError(diags)
	if d.Summary != "Invalid character encoding" || len(diags) != 1 {
		t.Fatalf("diagnostics %v, want only Invalid character encoding", diags)
	}
	if s := d.Subject; s.Filename != "bad.hcl" || s.Start.Line != 3 || s.Start.Column != 4 || s.Start.Byte != strings.Index(src, "\xf0") {
		t.Fatalf("at %v, want bad.hcl:3,4 (the broken byte)", s)
	}
}
