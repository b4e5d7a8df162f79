package config

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Environment returns the names of the environment variables the file itself makes
// its roles read: the names it gives env(), and those in inherit_env lists (which
// pass variables on to a source's commands), sorted, each once. dynamic is true when
// one of those names is not a literal: then any variable may count.
func (f *File) Environment() (names []string, dynamic bool) {
	for _, hf := range f.Files() {
		body, ok := hf.Body.(*hclsyntax.Body)
		if !ok {
			dynamic = true // not native syntax: its calls cannot be told
			continue
		}
		_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
			switch n := n.(type) {
			case *hclsyntax.FunctionCallExpr:
				if n.Name != "env" {
					break
				}
				if len(n.Args) == 0 {
					break // Parse reported it
				}
				if s, ok := literalString(n.Args[0]); ok {
					names = append(names, s)
				} else {
					dynamic = true
				}
			case *hclsyntax.Attribute:
				if n.Name != "inherit_env" {
					break
				}
				if len(n.Expr.Variables()) > 0 || hasCall(n.Expr) {
					dynamic = true
					break
				}
				v, diags := n.Expr.Value(nil)
				if diags.HasErrors() || !v.IsWhollyKnown() || !(v.Type().IsTupleType() || v.Type().IsListType()) {
					break // DecodeConfig reports it
				}
				for it := v.ElementIterator(); it.Next(); {
					_, e := it.Element()
					if !e.IsNull() && e.Type() == cty.String {
						names = append(names, e.AsString())
					}
				}
			}
			return nil
		})
	}
	slices.Sort(names)
	return slices.Compact(names), dynamic
}

// literalString returns the string expr spells out, if it is a literal ("NAME").
func literalString(expr hclsyntax.Expression) (string, bool) {
	if len(expr.Variables()) > 0 || hasCall(expr) {
		return "", false
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.IsWhollyKnown() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}
