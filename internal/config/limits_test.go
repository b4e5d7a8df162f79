package config

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// hostileInputs are files built to hurt the parser, each with the error it must get
// instead and where that error starts. HCL's parser recurses once per level of
// nesting (a Go stack overflow is fatal, not a panic), and joins a template's parts in
// time quadratic in their number. They are also seeds of FuzzParseSource.
func hostileInputs() []struct {
	name, src    string
	summary      string
	line, column int
} {
	// A 200 KB file of 100,000 nested parentheses overflowed the stack before the
	// limits (HCL takes about 10 KiB of stack per level; Go's limit is 1 GB); the
	// other shapes need only exceed the limit, and are smaller to keep the test fast.
	const huge, deep = 100_000, 5_000
	role := `role "a" { source = `
	// The block's brace is the first level, so the 100th opener after it is the
	// 101st level.
	col := len(role) + MaxNesting
	return []struct {
		name, src    string
		summary      string
		line, column int
	}{
		{"parentheses", role + strings.Repeat("(", huge) + "1" + strings.Repeat(")", huge) + " }\n", "Nesting too deep", 1, col},
		{"unclosed parentheses", role + strings.Repeat("(", deep), "Nesting too deep", 1, col},
		{"brackets", role + strings.Repeat("[", deep) + strings.Repeat("]", deep) + " }\n", "Nesting too deep", 1, col},
		{"braces", role + strings.Repeat("{a=", deep) + "1" + strings.Repeat("}", deep) + " }\n", "Nesting too deep", 1, len(role) + 3*(MaxNesting-1) + 1},
		{"blocks", strings.Repeat("a {\n", deep), "Nesting too deep", MaxNesting + 1, 3},
		{"unary minus", role + strings.Repeat("-", deep) + "1 }\n", "Nesting too deep", 1, len(role) + MaxNesting},
		{"negation", role + strings.Repeat("!", deep) + "true }\n", "Nesting too deep", 1, len(role) + MaxNesting},
		{"conditionals", role + strings.Repeat("true ? 1 : ", deep/10) + "1 }\n", "Nesting too deep", 1, len(role) + 1 + 11*(MaxNesting-1) + 5},
		{"operator chain", role + "1" + strings.Repeat("+1", deep/2) + " }\n", "Nesting too deep", 1, len(role) + 1 + 2*(MaxNesting-1) + 1},
		{"index chain", role + "x" + strings.Repeat("[x]", deep/3) + " }\n", "Nesting too deep", 1, len(role) + 1 + 3*(MaxNesting-2) + 1}, // "[" is an index and a level
		// A quote and an interpolation are a level each.
		{"templates", role + strings.Repeat(`"${`, deep/3) + "1" + strings.Repeat(`}"`, deep/3) + " }\n", "Nesting too deep", 1, len(role) + 3*(MaxNesting/2-1) + 2},
		{"directives", role + `"` + strings.Repeat("%{ if true }", deep/12) + `"` + " }\n", "Nesting too deep", 1, len(role) + 1 + 12*(MaxNesting-3) + 4}, // brace, quote, then one per "if" and one for the "%{" it is in
		{"heredoc lines", role + "<<EOT\n" + strings.Repeat("x\n", MaxTemplateParts+1) + "EOT\n}\n", "String too long", 1, len(role) + 1},
		{"heredoc bytes", "\n" + role + "<<EOT\n" + strings.Repeat(strings.Repeat("x", 1023)+"\n", 300) + "EOT\n}\n", "String too long", 2, len(role) + 1},
		{"escapes", role + `"` + strings.Repeat("a$${", MaxTemplateParts) + `"` + " }\n", "String too long", 1, len(role) + 1},
	}
}

// TestHostileInputsRefused: each hostile file gets a diagnostic at the place where it
// exceeds a limit, and HCL never parses it. The deep ones run in a subprocess: without
// the limits, a stack overflow kills the process, and it must kill only that one.
func TestHostileInputsRefused(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileInputsChild$", "-test.v")
	cmd.Env = append(os.Environ(), "BRS_HOSTILE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		// The output of a stack overflow is megabytes of goroutine frames.
		if len(out) > 4000 {
			out = append(out[:4000], "..."...)
		}
		t.Fatalf("the child parsing hostile inputs failed (%v):\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestHostileInputsChild") {
		t.Fatalf("the child did not run the inputs:\n%s", out)
	}
}

// TestHostileInputsChild is TestHostileInputsRefused's subprocess; it does nothing
// unless run by it.
func TestHostileInputsChild(t *testing.T) {
	if os.Getenv("BRS_HOSTILE_CHILD") != "1" {
		return
	}
	for _, in := range hostileInputs() {
		t.Run(in.name, func(t *testing.T) {
			f, diags := ParseSource([]byte(in.src), "hostile.hcl")
			if f == nil {
				t.Fatal("ParseSource returned a nil File")
			}
			d := firstError(diags)
			if d == nil {
				t.Fatal("no error")
			}
			if d.Summary != in.summary {
				t.Fatalf("first error %q (%s), want %q", d.Summary, d.Detail, in.summary)
			}
			if d.Subject == nil || d.Subject.Filename != "hostile.hcl" ||
				d.Subject.Start.Line != in.line || d.Subject.Start.Column != in.column {
				t.Fatalf("error %q at %v, want hostile.hcl:%d,%d", d.Summary, d.Subject, in.line, in.column)
			}
			if len(diags) != 1 {
				t.Fatalf("%d diagnostics, want only the limit's: %v", len(diags), diags)
			}
		})
	}
}

// TestWithinLimitsParses: files just inside every limit parse without error, so the
// limits cost real files nothing.
func TestWithinLimitsParses(t *testing.T) {
	nested := strings.Repeat("[", MaxNesting-4) + `"x"` + strings.Repeat("]", MaxNesting-4)
	lines := strings.Repeat("line\n", MaxTemplateParts-1)
	big := strings.Repeat(strings.Repeat("y", MaxTemplateSize/4-64)+"\n", 4)
	src := fmt.Sprintf(`role "a" {
  source = "s"
  config {
    nested = %s
    lines  = <<EOT
%sEOT
    big    = <<-EOT
%s    EOT
  }
}
`, nested, lines, big)
	_, diags := ParseSource([]byte(src), "ok.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
}

// TestFileTooLarge: a file beyond MaxFileSize is refused without being read whole;
// a config path pointing at /dev/zero is refused before a byte is read.
func TestFileTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.hcl")
	// A 10 MB heredoc: it took HCL minutes to parse.
	src := "role \"a\" {\n  source = \"s\"\n  config {\n    x = <<EOT\n" +
		strings.Repeat(strings.Repeat("z", 99)+"\n", 100_000) + "EOT\n  }\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{path: "File too large", "/dev/zero": "Failed to read file"} {
		_, diags := Parse(p)
		d := firstError(diags)
		if d == nil || d.Summary != want {
			t.Fatalf("%s: first error %v, want %s", p, d, want)
		}
		if d.Subject.Filename != p || d.Subject.Start != hcl.InitialPos {
			t.Fatalf("%s: error at %v, want the start of the file", p, d.Subject)
		}
	}
	if _, diags := Parse("/dev/zero"); !strings.Contains(diags.Error(), "it is a character device, not a regular file") {
		t.Errorf("/dev/zero: %v", diags)
	}
	_, diags := ParseSource([]byte(src), "big.hcl")
	if d := firstError(diags); d == nil || d.Summary != "File too large" {
		t.Fatalf("ParseSource: first error %v, want File too large", d)
	}
}
