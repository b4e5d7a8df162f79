package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/brs-go/brs/shared"
)

// checkDurations checks the value of every duration attribute of schema that val,
// the decoded config block, sets: a duration time.ParseDuration accepts, within the
// attribute's bounds. Each failure is a diagnostic at the attribute's value
// ("timeout must be between 15m and 12h; \"13h\" is not").
func checkDurations(schema shared.Schema, val cty.Value, dec *Decoded) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, a := range schema.Attributes {
		if a.Type != shared.TypeDuration {
			continue
		}
		v := val.GetAttr(a.Name)
		if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
			continue
		}
		if _, d := a.CheckDuration(v.AsString()); d != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  d.Summary,
				Detail:   d.Detail,
				Subject:  dec.Range(a.Name).Ptr(),
			})
		}
	}
	return diags
}
