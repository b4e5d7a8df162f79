package config

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

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
	// MaxFileSize bounds a brs file in bytes; MaxTokens bounds it in tokens, which is
	// what HCL's lexer and parser spend on.
	MaxFileSize = 8 << 20
	// MaxNesting bounds how deeply brackets, braces, parentheses, templates,
	// template directives and operators nest.
	MaxNesting = 100
	// MaxTemplateSize bounds one quoted string or heredoc, in bytes.
	MaxTemplateSize = 256 << 10
	// MaxTemplateParts bounds the parts of one quoted string or heredoc: its lines,
	// interpolations, directives and the pieces that $${ and %%{ escapes split.
	MaxTemplateParts = 1000
	// MaxCollectionItems bounds the elements of one list or map ([...] or {...} in an
	// expression). Converting a list to its attribute's type takes time quadratic in
	// its length in go-cty (a list of 40,000 numbers took 15 s), and AWS itself takes
	// at most tens of policy ARNs, tags or keys.
	MaxCollectionItems = 1000
	// MaxCollectionItemsTotal bounds the elements of all lists and maps of a file
	// together, nested ones included, so that many lists of MaxCollectionItems
	// cannot add up to minutes either: the conversions' work is at most
	// MaxCollectionItems × MaxCollectionItemsTotal element steps.
	MaxCollectionItemsTotal = 10_000
	// MaxTokens bounds the tokens of a file (names, literals, operators, line
	// breaks, comments): HCL's lexer holds ~100 bytes per token and its parser a
	// syntax tree node or more, so that a file of 8 million one-byte tokens took 3 GB
	// and 19 s, and a file of 2.4 million ~2.5 s of CPU and 1.8 GB allocated. A role
	// with a small config block is ~23 tokens: 20,000 such roles fit.
	MaxTokens = 500_000
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
	// start is the byte offset of the opening token; for templates, parts counts
	// the parts they hold so far.
	start int
	parts int
	// For lists and maps: items counts their elements; expectItem tells that the
	// next token in the frame starts an element.
	collection bool
	items      int
	expectItem bool
}

// startsObject reports whether a "{" after t opens a map rather than a block body.
func startsObject(t hclsyntax.TokenType) bool {
	switch t {
	case hclsyntax.TokenEqual, hclsyntax.TokenComma, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenColon, hclsyntax.TokenQuestion, hclsyntax.TokenTemplateInterp, hclsyntax.TokenFatArrow:
		return true
	}
	return false
}

// closerOf returns the token that closes the frame t opens, or 0.
func closerOf(t hclsyntax.TokenType) hclsyntax.TokenType {
	switch t {
	case hclsyntax.TokenOBrace:
		return hclsyntax.TokenCBrace
	case hclsyntax.TokenOBrack:
		return hclsyntax.TokenCBrack
	case hclsyntax.TokenOParen:
		return hclsyntax.TokenCParen
	case hclsyntax.TokenOQuote:
		return hclsyntax.TokenCQuote
	case hclsyntax.TokenOHeredoc:
		return hclsyntax.TokenCHeredoc
	case hclsyntax.TokenTemplateInterp:
		return hclsyntax.TokenTemplateSeqEnd
	case hclsyntax.TokenTemplateControl:
		return hclsyntax.TokenTemplateSeqEnd
	}
	return 0
}

// operators reports whether t counts as a level of nesting in checkLimits. None of
// them is allowed in a brs file, so a real file has none; the ones that also
// separate (":" in objects) are left out.
func operators(t hclsyntax.TokenType) bool {
	switch t {
	case hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPlus, hclsyntax.TokenMinus, hclsyntax.TokenPercent, hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq, hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenBang, hclsyntax.TokenQuestion, hclsyntax.TokenDot, hclsyntax.TokenEllipsis, hclsyntax.TokenFatArrow:
		return true
	}
	return false
}

// endsExpr reports whether t can end an expression, so that a "[" after them is an
// index rather than a tuple.
func endsExpr(t hclsyntax.TokenType) bool {
	switch t {
	case hclsyntax.TokenIdent, hclsyntax.TokenNumberLit, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCBrace, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
		return true
	}
	return false
}

// checkLimits reports, at the token where it is exceeded, the first limit that src
// exceeds, if any. It is linear in the size of src and reads its tokens one at a time
// (see scanner), so that it costs next to no memory and stops at the first limit
// exceeded, before HCL's lexer holds a token of the file. Syntax errors are left to
// the parser: the token stream of a broken file is checked all the same, counting an
// unmatched closing token as nothing, which can only overestimate the nesting.
//
// It also returns the file's layout: where parseHCL may cut it, and, when withItems
// is set, its top-level blocks and attributes.
func checkLimits(src []byte, filename string, withItems bool) (lay layout, diags hcl.Diagnostics) {
	if len(src) > MaxFileSize {
		r := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
		return lay, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "File too large", Detail: tooLarge(), Subject: &r}}
	}
	if !utf8.Valid(src) {
		// The scanner follows HCL's on UTF-8 only: HCL reads some broken sequences
		// as identifiers that swallow the next bytes, which could hide a quote.
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		r := rangeAt(src, filename, off, off+1)
		return lay, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid character encoding",
			Detail: "A brs file is UTF-8 text; this byte is not part of a UTF-8 character.", Subject: &r}}
	}
	var (
		stack      []frame
		ops        int // sum of the frames' ops, and of top-level ones
		topOps     int
		directives int // open %{ if } and %{ for } directives
		prev       hclsyntax.TokenType
		prevSolid  hclsyntax.TokenType // prev, not counting newlines
		items      int                 // the elements of all lists and maps so far
		tokens     int
		lastCut    int
		itemStart  = -1 // the start of the top-level item being read
	)
	fail := func(start, end int, summary, detail string) (layout, hcl.Diagnostics) {
		r := rangeAt(src, filename, start, end)
		return layout{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &r}}
	}
	tooDeep := func(start, end int) (layout, hcl.Diagnostics) {
		return fail(start, end, "Nesting too deep",
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
	for sc := newScanner(src); ; {
		typ, start, end, ok := sc.next()
		if !ok {
			break
		}
		if tokens++; tokens > MaxTokens {
			return fail(start, end, "File too long",
				fmt.Sprintf("A brs file holds at most %d tokens (names, values, operators, line breaks); this one has more from here on. Split it, or read large values from their own files with file().", MaxTokens))
		}
		if withItems && len(stack) == 0 {
			// A top-level item runs from its first token to the end of its line: a
			// line break, or a comment that ends with one (HCL reads that as one).
			switch {
			case typ == hclsyntax.TokenNewline || (typ == hclsyntax.TokenComment && src[end-1] == '\n'):
				if itemStart >= 0 {
					lay.items = append(lay.items, span{itemStart, end})
					itemStart = -1
				}
			case typ == hclsyntax.TokenComment || typ == hclsyntax.TokenEOF:
			case itemStart < 0:
				itemStart = start
			}
		}
		// An element of the innermost list or map starts with the first token after
		// its opening or a separator: commas in a list; commas and newlines in a map.
		if n := len(stack); n > 0 && stack[n-1].collection {
			top := &stack[n-1]
			switch {
			case typ == hclsyntax.TokenComma || (typ == hclsyntax.TokenNewline && top.open == hclsyntax.TokenOBrace):
				top.expectItem = true
			case typ == hclsyntax.TokenNewline || typ == hclsyntax.TokenComment || typ == closerOf(top.open):
			case top.expectItem:
				top.expectItem = false
				top.items++
				items++
				if top.items > MaxCollectionItems {
					return fail(top.start, top.start+1, "Too many elements",
						fmt.Sprintf("A list or map in a brs file holds at most %d elements.", MaxCollectionItems))
				}
				if items > MaxCollectionItemsTotal {
					return fail(top.start, top.start+1, "Too many elements",
						fmt.Sprintf("The lists and maps of a brs file hold at most %d elements together.", MaxCollectionItemsTotal))
				}
			}
		}
		// A part of the innermost template: literal text, an interpolation or a
		// directive.
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			if top.open == hclsyntax.TokenOQuote || top.open == hclsyntax.TokenOHeredoc {
				top.parts++
				if top.parts > MaxTemplateParts {
					return fail(top.start, top.start+1, "String too long",
						fmt.Sprintf("A quoted string or heredoc holds at most %d lines, interpolations and escapes. Read long text with file().", MaxTemplateParts))
				}
				if end-top.start > MaxTemplateSize {
					return fail(top.start, top.start+1, "String too long",
						fmt.Sprintf("A quoted string or heredoc holds at most %d KiB. Read long text with file().", MaxTemplateSize>>10))
				}
			}
		}
		switch {
		case closerOf(typ) != 0:
			if typ == hclsyntax.TokenOBrack && endsExpr(prev) {
				// An index: a[i][j] is an expression tree as deep as the chain.
				if n := len(stack); n > 0 {
					stack[n-1].ops++
				} else {
					topOps++
				}
				ops++
			}
			collection := (typ == hclsyntax.TokenOBrack && !endsExpr(prev)) ||
				(typ == hclsyntax.TokenOBrace && startsObject(prevSolid))
			stack = append(stack, frame{open: typ, start: start, collection: collection, expectItem: true})
		case typ == hclsyntax.TokenNewline:
			// A newline ends an attribute or an object item; inside parentheses,
			// brackets and templates it separates nothing.
			if n := len(stack); n == 0 || stack[n-1].open == hclsyntax.TokenOBrace {
				resetOps()
			}
			if len(stack) == 0 && end-lastCut >= pieceSize && end < len(src) {
				lay.cuts = append(lay.cuts, end)
				lastCut = end
			}
		case typ == hclsyntax.TokenComma:
			resetOps()
		case typ == hclsyntax.TokenIdent && prev == hclsyntax.TokenTemplateControl:
			switch string(src[start:end]) {
			case "if", "for":
				directives++
			case "endif", "endfor":
				directives = max(directives-1, 0)
			}
		case operators(typ):
			if n := len(stack); n > 0 {
				stack[n-1].ops++
			} else {
				topOps++
			}
			ops++
		default:
			if n := len(stack); n > 0 && closerOf(stack[n-1].open) == typ {
				ops -= stack[n-1].ops
				stack = stack[:n-1]
			}
		}
		if len(stack)+ops+directives > MaxNesting {
			return tooDeep(start, end)
		}
		if typ != hclsyntax.TokenComment {
			prev = typ
			if typ != hclsyntax.TokenNewline {
				prevSolid = typ
			}
		}
	}
	if itemStart >= 0 {
		lay.items = append(lay.items, span{itemStart, len(src)})
	}
	lay.unclosed = len(stack) > 0
	return lay, nil
}

// layout is what checkLimits learns of a file's structure on the way.
type layout struct {
	// cuts are byte offsets just after line breaks that end a top-level item,
	// about pieceSize apart.
	cuts []int
	// items are the top-level blocks and attributes, from their first token to the
	// end of the line they end on. In a file with syntax errors they are a guess.
	items []span
	// unclosed tells that a bracket, brace, parenthesis or string is open at the
	// end of the file: the items after it are not told apart.
	unclosed bool
}

// span is the bytes [start, end) of a file.
type span struct{ start, end int }

// rangeAt returns the range of src from byte start to byte end, with lines and
// columns counted as HCL counts them (columns in grapheme clusters). It is linear in
// end, and called only for the one diagnostic checkLimits reports.
func rangeAt(src []byte, filename string, start, end int) hcl.Range {
	end = min(max(end, start), len(src))
	return hcl.Range{Filename: filename, Start: posAt(src, start), End: posAt(src, end)}
}

// countLines returns the line breaks in b.
func countLines(b []byte) int { return bytes.Count(b, []byte{'\n'}) }

// posAt returns the position of byte off of src.
func posAt(src []byte, off int) hcl.Pos {
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	return posOnLine(src, off, 1+countLines(src[:lineStart]))
}

// posOnLine returns the position of byte off of src, which is on line line. It is
// linear in the length of the line.
func posOnLine(src []byte, off, line int) hcl.Pos {
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	if lineStart == 0 && bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		lineStart = min(3, off) // HCL does not count a byte order mark as a column
	}
	pos := hcl.Pos{Line: line, Column: 1, Byte: lineStart}
	if off == lineStart {
		pos.Byte = off
		return pos
	}
	// The line up to off, as one token: the scanner counts its grapheme clusters.
	sc := hcl.NewRangeScannerFragment(src[:off], "", pos, func(data []byte, _ bool) (int, []byte, error) {
		return len(data), data, nil
	})
	if sc.Scan() {
		return sc.Range().End
	}
	pos.Byte = off
	return pos
}
