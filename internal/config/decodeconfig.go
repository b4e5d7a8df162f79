package config

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/brs-go/brs/shared"
)

// Decoded is a role's config block, decoded against its source's schema.
type Decoded struct {
	// JSON is an object of the attributes that are set, for the source plugin.
	// Numbers are JSON numbers, lists arrays and maps objects.
	JSON shared.Config
	// Sensitive holds every non-empty string in the attributes that the schema marks
	// sensitive, including list elements and map values, and every value that env()
	// and file() returned in the block (see File.Sensitive), so that logs and the
	// source's diagnostics can be redacted of them.
	Sensitive []string

	ranges     map[string]hcl.Range
	blockRange hcl.Range
}

// Range returns where attribute attr is written, or where the config block is when attr
// is "" or not written. Host code uses it to place diagnostics that a source reports
// about an attribute.
func (d *Decoded) Range(attr string) hcl.Range {
	if d == nil {
		return hcl.Range{}
	}
	if r, ok := d.ranges[attr]; ok && attr != "" {
		return r
	}
	return d.blockRange
}

// MaxConfigSize bounds a config block's values, encoded as JSON. They travel to the
// source plugin in every ValidateConfig and Refresh request, and a plugin's gRPC
// server refuses messages over 4 MiB: a larger block would fail as "plugin failed" at
// every call rather than as a diagnostic at the block.
const MaxConfigSize = 1 << 20

// ctyTypes maps the schema's types to HCL's.
var ctyTypes = map[shared.Type]cty.Type{
	shared.TypeString:     cty.String,
	shared.TypeNumber:     cty.Number,
	shared.TypeBool:       cty.Bool,
	shared.TypeStringList: cty.List(cty.String),
	shared.TypeStringMap:  cty.Map(cty.String),
	shared.TypeDuration:   cty.String, // checked by checkDurations
}

// DecodeConfig checks role's config block against schema, the schema of the role's
// source, and returns its values. Unknown attributes, nested blocks, missing required
// attributes and values of the wrong type are diagnostics. The Decoded is nil when the
// diagnostics hold an error.
func DecodeConfig(role *Role, schema shared.Schema) (*Decoded, hcl.Diagnostics) {
	if role == nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No role",
			Detail:   "DecodeConfig needs a role.",
			Subject:  &hcl.Range{},
		}}
	}
	fallback := role.ConfigRange
	if fallback.Filename == "" && fallback.Start.Line == 0 {
		fallback = role.DeclRange
	}
	body := role.Config
	if body == nil {
		body = hcl.EmptyBody()
	}

	spec, diags := specOf(role, schema)
	if diags.HasErrors() {
		return nil, finish(diags, fallback)
	}
	if sb, ok := body.(*hclsyntax.Body); ok {
		// Check every expression before any is evaluated; see checkExpr.
		names := make([]string, 0, len(sb.Attributes))
		for name := range sb.Attributes {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			diags = append(diags, checkExpr(sb.Attributes[name].Expr)...)
		}
		diags = append(diags, checkCommands(sb, schema)...)
		if diags.HasErrors() {
			return nil, finish(diags, fallback)
		}
	}

	var seen seen
	val, decDiags := hcldec.Decode(body, spec, newEvalContext(role.baseDir, role.lookupEnv, &seen))
	hintConfig(body, schema, decDiags)
	if !role.hasConfig {
		for _, d := range decDiags {
			if d.Summary == "Missing required argument" {
				d.Detail += fmt.Sprintf(" Role %q needs a config block.", role.Name)
			}
		}
	}
	diags = append(diags, decDiags...)
	if diags.HasErrors() {
		return nil, seen.redact(finish(diags, fallback))
	}
	if val.IsNull() || !val.IsWhollyKnown() || !val.Type().IsObjectType() {
		return nil, seen.redact(finish(append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid expression",
			Detail:   "A value of the config block could not be read: the parser reports only the first of several syntax errors; check the block's expressions.",
			Subject:  fallback.Ptr(),
		}), fallback))
	}

	dec := &Decoded{ranges: map[string]hcl.Range{}, blockRange: fallback}
	attrSchema := &hcl.BodySchema{}
	for _, a := range schema.Attributes {
		attrSchema.Attributes = append(attrSchema.Attributes, hcl.AttributeSchema{Name: a.Name})
	}
	content, _, _ := body.PartialContent(attrSchema)
	for name, a := range content.Attributes {
		dec.ranges[name] = a.Expr.Range()
	}

	obj := map[string]json.RawMessage{}
	for _, a := range schema.Attributes {
		v := val.GetAttr(a.Name)
		if v.IsNull() {
			continue
		}
		if hasNullElement(v) {
			diags = append(diags, nullElementDiag(a.Name, dec.Range(a.Name)))
			continue
		}
		b, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			// Cannot happen for the schema's types and the values checkExpr lets
			// through; report rather than panic if it does.
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid attribute value",
				Detail:   fmt.Sprintf("The value of %s cannot be encoded as JSON.", a.Name),
				Subject:  dec.Range(a.Name).Ptr(),
			})
			continue
		}
		obj[a.Name] = b
		if a.Sensitive {
			dec.Sensitive = appendStrings(dec.Sensitive, v)
		}
	}
	diags = append(diags, checkDurations(schema, val, dec)...)
	if diags.HasErrors() {
		return nil, seen.redact(finish(diags, fallback))
	}
	js, err := json.Marshal(obj)
	if err != nil {
		return nil, seen.redact(finish(append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid config block",
			Detail:   "The config block cannot be encoded as JSON.",
			Subject:  fallback.Ptr(),
		}), fallback))
	}
	if len(js) > MaxConfigSize {
		return nil, seen.redact(finish(append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Config block too large",
			Detail: fmt.Sprintf("The config block's values take %d KiB; a source plugin accepts at most %d KiB. Shorten the values, or have the plugin read large ones from a file itself.",
				(len(js)+1023)>>10, MaxConfigSize>>10),
			Subject: fallback.Ptr(),
		}), fallback))
	}
	dec.JSON = js
	dec.Sensitive = dedup(append(dec.Sensitive, seen.forms()...))
	return dec, seen.redact(finish(diags, fallback))
}

// checkCommands refuses env() and file() in the attributes that schema marks Command:
// the source runs their value as a command line, which every local user can read
// (/proc/PID/cmdline, ps) while it runs. The value belongs in the command's
// environment, which the role's env attribute sets.
func checkCommands(body *hclsyntax.Body, schema shared.Schema) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, a := range schema.Attributes {
		attr, ok := body.Attributes[a.Name]
		if !a.Command || !ok {
			continue
		}
		var call *hclsyntax.FunctionCallExpr
		hclsyntax.VisitAll(attr.Expr, func(n hclsyntax.Node) hcl.Diagnostics {
			if c, ok := n.(*hclsyntax.FunctionCallExpr); ok && call == nil {
				call = c
			}
			return nil
		})
		if call == nil {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Secret in a command line",
			Detail: fmt.Sprintf("%s is run as a command, and every local user can read a command line while it runs, so it may not hold what %s() returns. "+
				"Pass the value in the command's environment instead: set it in the role's env attribute and refer to the variable in the command, "+
				"e.g. env = { SEED = file(\"seed\") } and %s = \"otp --seed=\\\"$SEED\\\"\".",
				a.Name, call.Name, a.Name),
			Subject: call.Range().Ptr(),
		})
	}
	return diags
}

// specOf returns the hcldec spec for schema, or diagnostics at role's source when
// the schema itself is unusable. The schema has passed shared.CheckSchema, the one
// schema check, which the host runs once per source; a type that has no HCL type here
// is the one thing left to refuse.
func specOf(role *Role, schema shared.Schema) (hcldec.ObjectSpec, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	spec := hcldec.ObjectSpec{}
	for _, a := range schema.Attributes {
		t, ok := ctyTypes[a.Type]
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid source schema",
				Detail: fmt.Sprintf("Source %q declares a schema that brs cannot use: attribute %q has unknown type %q. This is a bug in the source plugin.",
					role.Source, a.Name, a.Type),
				Subject: role.SourceRange.Ptr(),
			})
			continue
		}
		spec[a.Name] = &hcldec.AttrSpec{Name: a.Name, Type: t, Required: a.Required}
	}
	return spec, diags
}

// appendStrings appends the non-empty strings that v holds, itself or as elements.
func appendStrings(out []string, v cty.Value) []string {
	switch {
	case v.IsNull() || !v.IsKnown():
	case v.Type() == cty.String:
		if s := v.AsString(); s != "" {
			out = append(out, s)
		}
	case v.CanIterateElements():
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = appendStrings(out, e)
		}
	}
	return out
}

// dedup returns ss without repetitions, in first-seen order.
func dedup(ss []string) []string {
	had := map[string]bool{}
	out := ss[:0]
	for _, s := range ss {
		if !had[s] {
			had[s] = true
			out = append(out, s)
		}
	}
	return out
}
