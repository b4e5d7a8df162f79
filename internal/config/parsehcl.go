package config

import (
	"bytes"
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
// (checkLimits finds them), about pieceSize apart. The pieces' blocks and
// attributes together are the file's body. A piece with an error, or an attribute set
// in two pieces, has the whole file parsed at once instead, so that the diagnostics
// and their recovery are exactly HCL's.
func parseHCL(src []byte, filename string, cuts []int) (*hcl.File, hcl.Diagnostics) {
	if len(cuts) == 0 {
		return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	whole := func() (*hcl.File, hcl.Diagnostics) { return hclsyntax.ParseConfig(src, filename, hcl.InitialPos) }
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	nav := &piecesNav{}
	start, pos := 0, hcl.InitialPos
	for i := 0; i <= len(cuts); i++ {
		end := len(src)
		if i < len(cuts) {
			end = cuts[i]
		}
		if i > 0 {
			// A piece starts a line.
			pos = hcl.Pos{Line: pos.Line + bytes.Count(src[pos.Byte:start], []byte{'\n'}), Column: 1, Byte: start}
		}
		// The piece is parsed with the position it has in the file, so that its
		// ranges are the file's.
		f, diags := hclsyntax.ParseConfig(src[start:end], filename, pos)
		if diags.HasErrors() {
			return whole()
		}
		pb := f.Body.(*hclsyntax.Body)
		for name, a := range pb.Attributes {
			if _, dup := body.Attributes[name]; dup {
				return whole()
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
		nav.starts = append(nav.starts, start)
		nav.navs = append(nav.navs, f.Nav)
		start = end
	}
	return &hcl.File{Body: body, Bytes: src, Nav: nav}, nil
}

// piecesNav is the Nav of a file that parseHCL parsed in pieces: it hands each
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
