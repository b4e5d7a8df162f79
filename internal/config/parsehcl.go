package config

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// pieceSize is the size above which parseHCL cuts a file into pieces: HCL's lexer
// appends each token (~100 bytes) to one slice, and for a file of megabytes most of
// the parse was growing, copying and collecting that slice (two thirds of it at
// 4,000 roles). Pieces of this size keep it in the processor's cache.
const pieceSize = 16 << 10

// parseHCL parses src as hclsyntax.ParseConfig does, one piece at a time: cuts are
// byte offsets just after line breaks that end a top-level block or attribute
// (checkLimits finds them), about pieceSize apart. A piece with an error, or an
// attribute set in two pieces, has the whole file parsed at once instead, so that
// the diagnostics and their recovery are exactly HCL's.
func parseHCL(src []byte, filename string, cuts []int) (*hcl.File, hcl.Diagnostics) {
	if len(cuts) == 0 {
		return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	pieces := make([]span, 0, len(cuts)+1)
	start := 0
	for _, c := range append(cuts, len(src)) {
		pieces = append(pieces, span{start, c})
		start = c
	}
	if f, ok := parseSpans(src, filename, pieces); ok {
		return f, nil
	}
	return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
}

// parseSpans parses the spans of src, each a sequence of whole top-level items, in
// file order, and returns a file whose body holds their blocks and attributes
// together. ok is false when a span has a syntax error or two spans set the same
// attribute: the file must be parsed whole for HCL's diagnostics.
func parseSpans(src []byte, filename string, spans []span) (f *hcl.File, ok bool) {
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	nav := &piecesNav{}
	line, lineAt := 1, 0 // the line of byte lineAt
	for i, sp := range spans {
		// The span is parsed with the position it has in the file, so that its
		// ranges are the file's.
		pos := hcl.InitialPos
		if sp.start > 0 {
			line += countLines(src[lineAt:sp.start])
			lineAt = sp.start
			pos = posOnLine(src, sp.start, line)
		}
		pf, diags := hclsyntax.ParseConfig(src[sp.start:sp.end], filename, pos)
		if diags.HasErrors() {
			return nil, false
		}
		pb := pf.Body.(*hclsyntax.Body)
		for name, a := range pb.Attributes {
			if _, dup := body.Attributes[name]; dup {
				return nil, false
			}
			body.Attributes[name] = a
		}
		body.Blocks = append(body.Blocks, pb.Blocks...)
		if i == 0 {
			body.SrcRange.Start = pb.SrcRange.Start
		}
		body.SrcRange.Filename = filename
		body.SrcRange.End = pb.SrcRange.End
		body.EndRange = pb.EndRange
		nav.starts = append(nav.starts, sp.start)
		nav.navs = append(nav.navs, pf.Nav)
	}
	return &hcl.File{Body: body, Bytes: src, Nav: nav}, true
}

// piecesNav is the Nav of a file that parseSpans parsed in pieces: it hands each
// question to the navigation of the piece that holds the offset, which HCL's
// diagnostic printer asks for the block a diagnostic is in.
type piecesNav struct {
	starts []int
	navs   []any
}

func (n *piecesNav) piece(offset int) any {
	i := sort.SearchInts(n.starts, offset+1) - 1
	if i < 0 {
		return nil
	}
	return n.navs[i]
}

// ContextString returns the header of the top-level block that holds offset.
func (n *piecesNav) ContextString(offset int) string {
	if cs, ok := n.piece(offset).(interface{ ContextString(int) string }); ok {
		return cs.ContextString(offset)
	}
	return ""
}

// ContextDefRange returns where the header of the top-level block that holds offset
// is written.
func (n *piecesNav) ContextDefRange(offset int) hcl.Range {
	if cd, ok := n.piece(offset).(interface{ ContextDefRange(int) hcl.Range }); ok {
		return cd.ContextDefRange(offset)
	}
	return hcl.Range{}
}
