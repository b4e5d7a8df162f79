package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// maxBinaryExponent bounds the magnitude of number literals to roughly that of a
// float64. Formatting a number such as 1e600000000 as a string, which HCL does when it
// converts a number to a string, would take minutes and gigabytes.
const maxBinaryExponent = 1100

// checkExpr refuses what a brs file may not hold: anything but literals, templates,
// tuples, objects and function calls, and number literals of extreme magnitude.
// Variables are left to HCL, which reports them as "Variables not allowed". It
// reports at most one problem per expression.
func checkExpr(expr hcl.Expression) hcl.Diagnostics {
	node, ok := expr.(hclsyntax.Node)
	if !ok {
		return nil
	}
	var diags hcl.Diagnostics
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		if diags != nil {
			return nil
		}
		switch n := n.(type) {
		case *hclsyntax.LiteralValueExpr:
			if !numberInRange(n.Val) {
				diags = hcl.Diagnostics{{
					Severity: hcl.DiagError,
					Summary:  "Number out of range",
					Detail:   "Numbers in a brs file must lie within the range of a 64-bit floating point number.",
					Subject:  n.SrcRange.Ptr(),
				}}
			}
		case *hclsyntax.TemplateExpr, *hclsyntax.TemplateWrapExpr,
			*hclsyntax.TupleConsExpr, *hclsyntax.ObjectConsExpr, *hclsyntax.ObjectConsKeyExpr,
			*hclsyntax.FunctionCallExpr, *hclsyntax.ParenthesesExpr,
			*hclsyntax.ScopeTraversalExpr, *hclsyntax.ExprSyntaxError:
		default:
			diags = hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Unsupported expression",
				Detail: fmt.Sprintf("Values in a brs file are literals, templates, and calls of env and file; %s cannot be used here.",
					describe(n)),
				Subject: n.Range().Ptr(),
			}}
		}
		return nil
	})
	return diags
}

// describe names the kind of expression n is, for checkExpr's diagnostic.
func describe(n hclsyntax.Node) string {
	switch n.(type) {
	case *hclsyntax.BinaryOpExpr, *hclsyntax.UnaryOpExpr:
		return "an operator"
	case *hclsyntax.ConditionalExpr:
		return "a conditional expression"
	case *hclsyntax.ForExpr:
		return "a for expression"
	case *hclsyntax.SplatExpr:
		return "a splat expression"
	case *hclsyntax.IndexExpr, *hclsyntax.RelativeTraversalExpr:
		return "an index or attribute access"
	case *hclsyntax.TemplateJoinExpr:
		return "a template directive"
	}
	return "this expression"
}

// numberInRange reports whether v, if a known number, is finite and of a magnitude
// that can be formatted cheaply.
func numberInRange(v cty.Value) bool {
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.Number {
		return true
	}
	f := v.AsBigFloat()
	if f.IsInf() {
		return false
	}
	exp := f.MantExp(nil)
	return exp >= -maxBinaryExponent && exp <= maxBinaryExponent
}

// hasCall reports whether expr calls a function anywhere, so that its value could
// come from the environment or a file and must not appear in a diagnostic.
// Expressions of other syntaxes count as calls, to be safe.
func hasCall(expr hcl.Expression) bool {
	node, ok := expr.(hclsyntax.Node)
	if !ok {
		return true
	}
	found := false
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		if _, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			found = true
		}
		return nil
	})
	return found
}
