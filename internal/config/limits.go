package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/filetrust"
)

// Limits on a brs file, checked on its tokens before HCL parses it. HCL's parser
// recurses once per level of nesting and a Go stack overflow cannot be recovered, so
// a file of nested parentheses would kill the process; and it joins the lines of a
// template in time quadratic in their number. The limits are far above what a brs
// file needs and keep the parse to a fraction of a second.
const (
	// MaxFileSize bounds a brs file: 100,000 roles with small config blocks fit.
	MaxFileSize = 8 << 20
	// MaxNesting bounds how deeply brackets, braces, parentheses, templates,
	// template directives and operators nest.
	MaxNesting = 100
	// MaxTemplateSize bounds one quoted string or heredoc, in bytes.
	MaxTemplateSize = 256 << 10
	// MaxTemplateParts bounds the parts of one quoted string or heredoc: its lines,
	// interpolations, directives and the pieces that $${ and %%{ escapes split.
	MaxTemplateParts = 1000
)

// readSource reads the brs file at path, refusing one that another user could have
// written (see filetrust), one that is not a regular file, and one larger than
// MaxFileSize without reading past the limit. The checks are made on the opened file.
func readSource(path string) ([]byte, *hcl.Diagnostic) {
	subject := &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}
	fail := func(summary, detail string) ([]byte, *hcl.Diagnostic) {
		return nil, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject}
	}
	f, err := boundedfile.Open(path)
	if err != nil {
		return fail("Failed to read file", fmt.Sprintf("Cannot read the brs file %s: %s.", path, reasonOf(err)))
	}
	defer f.Close()
	if err := filetrust.Check(f, "config file"); err != nil {
		var te *filetrust.Error
		if errors.As(err, &te) {
			return fail("Untrusted config file", upperFirst(err.Error())+".")
		}
		return fail("Failed to read file", fmt.Sprintf("Cannot check the brs file %s: %s.", path, reasonOf(err)))
	}
	src, err := boundedfile.Read(f, MaxFileSize)
	if errors.Is(err, boundedfile.ErrTooLarge) {
		return fail("File too large", tooLarge())
	}
	if err != nil {
		return fail("Failed to read file", fmt.Sprintf("Cannot read the brs file %s: %s.", path, reasonOf(err)))
	}
	return src, nil
}

// upperFirst returns s with its first letter in upper case.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// tooLarge is the detail of the diagnostic for a file over MaxFileSize.
func tooLarge() string {
	return fmt.Sprintf("A brs file holds at most %d MiB; read large values from their own files with file().", MaxFileSize>>20)
}

// frame is an open bracket, brace, parenthesis, template or interpolation.
type frame struct {
	open hclsyntax.TokenType
	// ops counts the operators since the last separator inside the frame: HCL parses
	// each as one more level (unary operators and ?: recursively, binary ones into
	// an expression tree as deep as the chain is long).
	ops int
	// For templates: where they start, and how many parts they hold so far.
	start hcl.Range
	parts int
}

// closerOf maps each token that opens a frame to the token that closes it.
var closerOf = map[hclsyntax.TokenType]hclsyntax.TokenType{
	hclsyntax.TokenOBrace:          hclsyntax.TokenCBrace,
	hclsyntax.TokenOBrack:          hclsyntax.TokenCBrack,
	hclsyntax.TokenOParen:          hclsyntax.TokenCParen,
	hclsyntax.TokenOQuote:          hclsyntax.TokenCQuote,
	hclsyntax.TokenOHeredoc:        hclsyntax.TokenCHeredoc,
	hclsyntax.TokenTemplateInterp:  hclsyntax.TokenTemplateSeqEnd,
	hclsyntax.TokenTemplateControl: hclsyntax.TokenTemplateSeqEnd,
}

// operators are the tokens that count as a level of nesting in checkLimits. None of
// them is allowed in a brs file, so a real file has none; the ones that also
// separate (":" in objects) are left out.
var operators = map[hclsyntax.TokenType]bool{
	hclsyntax.TokenStar: true, hclsyntax.TokenSlash: true, hclsyntax.TokenPlus: true,
	hclsyntax.TokenMinus: true, hclsyntax.TokenPercent: true, hclsyntax.TokenEqualOp: true,
	hclsyntax.TokenNotEqual: true, hclsyntax.TokenLessThan: true, hclsyntax.TokenLessThanEq: true,
	hclsyntax.TokenGreaterThan: true, hclsyntax.TokenGreaterThanEq: true, hclsyntax.TokenAnd: true,
	hclsyntax.TokenOr: true, hclsyntax.TokenBang: true, hclsyntax.TokenQuestion: true,
	hclsyntax.TokenDot: true, hclsyntax.TokenEllipsis: true, hclsyntax.TokenFatArrow: true,
}

// endsExpr are the tokens that can end an expression, so that a "[" after them is an
// index rather than a tuple.
var endsExpr = map[hclsyntax.TokenType]bool{
	hclsyntax.TokenIdent: true, hclsyntax.TokenNumberLit: true, hclsyntax.TokenCBrack: true,
	hclsyntax.TokenCParen: true, hclsyntax.TokenCBrace: true, hclsyntax.TokenCQuote: true,
	hclsyntax.TokenCHeredoc: true,
}

// checkLimits reports, at the token where it is exceeded, the first limit that src
// exceeds, if any. It is linear in the size of src. Syntax errors are left to the
// parser: the token stream of a broken file is checked all the same, counting an
// unmatched closing token as nothing, which can only overestimate the nesting.
func checkLimits(src []byte, filename string) hcl.Diagnostics {
	if len(src) > MaxFileSize {
		r := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "File too large", Detail: tooLarge(), Subject: &r}}
	}
	toks, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	var (
		stack      []frame
		ops        int // sum of the frames' ops, and of top-level ones
		topOps     int
		directives int // open %{ if } and %{ for } directives
		prev       hclsyntax.TokenType
	)
	fail := func(tok hclsyntax.Token, summary, detail string) hcl.Diagnostics {
		r := tok.Range
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &r}}
	}
	tooDeep := func(tok hclsyntax.Token) hcl.Diagnostics {
		return fail(tok, "Nesting too deep",
			fmt.Sprintf("Brackets, braces, parentheses, strings, template directives and operators nest at most %d levels deep in a brs file.", MaxNesting))
	}
	resetOps := func() {
		if n := len(stack); n > 0 {
			ops -= stack[n-1].ops
			stack[n-1].ops = 0
		} else {
			ops -= topOps
			topOps = 0
		}
	}
	for _, tok := range toks {
		typ := tok.Type
		// A part of the innermost template: literal text, an interpolation or a
		// directive.
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			if top.open == hclsyntax.TokenOQuote || top.open == hclsyntax.TokenOHeredoc {
				top.parts++
				if top.parts > MaxTemplateParts {
					return fail(hclsyntax.Token{Range: top.start}, "String too long",
						fmt.Sprintf("A quoted string or heredoc holds at most %d lines, interpolations and escapes. Read long text with file().", MaxTemplateParts))
				}
				if end := tok.Range.End.Byte; end-top.start.Start.Byte > MaxTemplateSize {
					return fail(hclsyntax.Token{Range: top.start}, "String too long",
						fmt.Sprintf("A quoted string or heredoc holds at most %d KiB. Read long text with file().", MaxTemplateSize>>10))
				}
			}
		}
		switch {
		case closerOf[typ] != 0:
			if typ == hclsyntax.TokenOBrack && endsExpr[prev] {
				// An index: a[i][j] is an expression tree as deep as the chain.
				if n := len(stack); n > 0 {
					stack[n-1].ops++
				} else {
					topOps++
				}
				ops++
			}
			stack = append(stack, frame{open: typ, start: tok.Range})
		case typ == hclsyntax.TokenNewline:
			// A newline ends an attribute or an object item; inside parentheses,
			// brackets and templates it separates nothing.
			if n := len(stack); n == 0 || stack[n-1].open == hclsyntax.TokenOBrace {
				resetOps()
			}
		case typ == hclsyntax.TokenComma:
			resetOps()
		case typ == hclsyntax.TokenIdent && prev == hclsyntax.TokenTemplateControl:
			switch string(tok.Bytes) {
			case "if", "for":
				directives++
			case "endif", "endfor":
				directives = max(directives-1, 0)
			}
		case operators[typ]:
			if n := len(stack); n > 0 {
				stack[n-1].ops++
			} else {
				topOps++
			}
			ops++
		default:
			if n := len(stack); n > 0 && closerOf[stack[n-1].open] == typ {
				ops -= stack[n-1].ops
				stack = stack[:n-1]
			}
		}
		if len(stack)+ops+directives > MaxNesting {
			return tooDeep(tok)
		}
		if typ != hclsyntax.TokenComment {
			prev = typ
		}
	}
	return nil
}
