package config

import (
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/brs-go/brs/internal/cache"
)

// nameRE is what role and plugin labels look like.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

var (
	fileSchema = &hcl.BodySchema{
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "plugin", LabelNames: []string{"name"}},
			{Type: "role", LabelNames: []string{"name"}},
		},
	}
	pluginSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "command"},
			{Name: "args"},
			{Name: "sha256"},
			{Name: "source"},
			{Name: "version"},
			{Name: "signing_key"},
		},
	}
	roleSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "source", Required: true},
			{Name: "region"},
			{Name: "endpoint"},
			{Name: "source_role"},
		},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "refresh"},
			{Type: "config"},
		},
	}
	refreshSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "advisory"},
			{Name: "mandatory"},
			{Name: "timeout"},
		},
	}
)

// decoder turns the body of one brs file into a File, collecting diagnostics.
type decoder struct {
	baseDir   string
	lookupEnv func(string) (string, bool)
	ctx       *hcl.EvalContext
	diags     hcl.Diagnostics
	// literalSourceRole records the roles whose source_role is written without
	// function calls, so that its value may appear in diagnostics.
	literalSourceRole map[*Role]bool
	// syntax are where the parser reported syntax errors. A block that holds one is
	// a guess of the parser's recovery: it is not checked, for checking it would
	// mostly report the same mistake again in other words.
	syntax []hcl.Range
	// errors counts the errors add reported, so that a block's own can be told.
	errors int
	// allNames are the names of all roles of a file of which only some are read
	// (ParseOnly), for the suggestions of diagnostics; nil otherwise.
	allNames []string
}

// build checks the parsed file hf and returns the File it declares.
func build(files map[string]*hcl.File, hf *hcl.File, path string, diags hcl.Diagnostics, o parseOptions) (*File, hcl.Diagnostics) {
	return buildNames(files, hf, path, diags, nil, o)
}

// buildNames is build for a file of which hf holds some roles only; names are all
// its roles', which source_role may name.
func buildNames(files map[string]*hcl.File, hf *hcl.File, path string, diags hcl.Diagnostics, names []string, o parseOptions) (*File, hcl.Diagnostics) {
	f := &File{
		Path:    path,
		Plugins: map[string]*Plugin{},
		files:   files,
		roles:   map[string]*Role{},
	}
	fallback := hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}
	if hf == nil || hf.Body == nil {
		return f, finish(diags, fallback)
	}
	baseDir := baseDirOf(path)
	d := &decoder{
		baseDir:           baseDir,
		lookupEnv:         o.lookupEnv,
		ctx:               newEvalContext(baseDir, o.lookupEnv, &f.seen),
		diags:             diags,
		literalSourceRole: map[*Role]bool{},
		allNames:          names,
	}
	// The parser recovers from a syntax error at the end of the block or attribute
	// that holds it: the blocks around it are still checked, so that one run reports
	// every mistake it can.
	for _, diag := range diags {
		if diag.Severity == hcl.DiagError && diag.Subject != nil {
			d.syntax = append(d.syntax, *diag.Subject)
		}
	}
	d.file(hf.Body, f)
	return f, f.seen.redact(finish(d.diags, fallback))
}

func (d *decoder) add(diags ...*hcl.Diagnostic) {
	for _, diag := range diags {
		if diag.Severity == hcl.DiagError {
			d.errors++
		}
	}
	d.diags = append(d.diags, diags...)
}

func (d *decoder) errorf(subject hcl.Range, summary, format string, args ...any) {
	d.add(&hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  subject.Ptr(),
	})
}

// broken reports whether r holds a syntax error.
func (d *decoder) broken(r hcl.Range) bool {
	for _, s := range d.syntax {
		if r.Overlaps(s) || r.ContainsPos(s.Start) {
			return true
		}
	}
	return false
}

// blockRange returns where blk is written, from its type to its closing brace.
func blockRange(blk *hcl.Block) hcl.Range {
	if sb, ok := blk.Body.(*hclsyntax.Body); ok {
		return hcl.RangeBetween(blk.DefRange, sb.SrcRange)
	}
	return blk.DefRange
}

func (d *decoder) file(body hcl.Body, f *File) {
	content, diags := body.Content(fileSchema)
	for _, diag := range diags {
		if diag.Subject == nil || !d.broken(*diag.Subject) {
			d.add(diag)
		}
	}
	roleBlocks := 0
	for _, blk := range content.Blocks {
		if len(blk.Labels) != 1 {
			continue // HCL has reported it
		}
		name := blk.Labels[0]
		if blk.Type == "role" {
			roleBlocks++
		}
		if d.broken(blockRange(blk)) {
			if _, dup := f.Plugins[name]; blk.Type == "plugin" && !dup {
				// Known, so that no other binary is run for its roles.
				f.Plugins[name] = &Plugin{Name: name, DeclRange: blk.DefRange, CommandRange: blk.DefRange, SHA256Range: blk.DefRange, Invalid: true}
			}
			if _, dup := f.roles[name]; blk.Type == "role" && !dup {
				// Known by name, so that source_role may name it, but not checked.
				r := &Role{Name: name, Config: hcl.EmptyBody(), DeclRange: blk.DefRange, SourceRange: blk.DefRange,
					SourceRoleRange: blk.DefRange, ConfigRange: blk.DefRange, baseDir: d.baseDir, lookupEnv: d.lookupEnv, Invalid: true}
				f.roles[name] = r
				f.Roles = append(f.Roles, r)
			}
			continue
		}
		switch blk.Type {
		case "plugin":
			errs := d.errors
			p := d.plugin(blk)
			p.Invalid = d.errors > errs
			if first, dup := f.Plugins[name]; dup {
				d.errorf(blk.DefRange, fmt.Sprintf("Duplicate plugin %q", name),
					"Each plugin needs a unique name; plugin %q was first defined at %s.", name, at(first.DeclRange))
				continue
			}
			f.Plugins[name] = p
		case "role":
			errs := d.errors
			r := d.role(blk)
			r.Invalid = d.errors > errs
			if first, dup := f.roles[name]; dup {
				d.errorf(blk.DefRange, fmt.Sprintf("Duplicate role %q", name),
					"Each role needs a unique name; role %q was first defined at %s.", name, at(first.DeclRange))
				continue
			}
			f.roles[name] = r
			f.Roles = append(f.Roles, r)
		}
	}
	if roleBlocks == 0 && !diags.HasErrors() && len(d.syntax) == 0 {
		d.errorf(body.MissingItemRange(), "No roles",
			"A brs file declares at least one role, such as:\n\n  role \"default\" {\n    source = \"sts\"\n  }")
	}
	d.sourceRoles(f.Roles, f.roles)
}

// checkName reports a block label that is not a valid name.
func (d *decoder) checkName(kind string, blk *hcl.Block) {
	if nameRE.MatchString(blk.Labels[0]) {
		return
	}
	d.errorf(blk.LabelRanges[0], fmt.Sprintf("Invalid %s name", kind),
		"A %s name starts with a letter or digit and holds only letters, digits, \"_\", \".\" and \"-\".", kind)
}

func (d *decoder) plugin(blk *hcl.Block) *Plugin {
	p := &Plugin{
		Name:         blk.Labels[0],
		DeclRange:    blk.DefRange,
		CommandRange: blk.DefRange,
		SHA256Range:  blk.DefRange,
	}
	d.checkName("plugin", blk)
	content, diags := blk.Body.Content(pluginSchema)
	d.add(diags...)

	if a := content.Attributes["command"]; a != nil {
		p.CommandRange = a.Expr.Range()
		if s, ok := d.str(a); ok {
			if s == "" {
				d.errorf(p.CommandRange, "Empty command",
					"command is the path of the plugin's executable, or its name to look up in the plugin directories.")
			} else {
				p.Command = resolveCommand(s, d.baseDir)
			}
		}
	}
	if a := content.Attributes["args"]; a != nil {
		p.Args, _ = d.strList(a)
	}
	if a := content.Attributes["sha256"]; a != nil {
		p.SHA256Range = a.Expr.Range()
		if s, ok := d.str(a); ok && s != "" {
			sum, err := hex.DecodeString(checksumField(s))
			if err != nil || len(sum) != 32 {
				d.errorf(p.SHA256Range, "Invalid sha256",
					"sha256 is the SHA-256 checksum of the plugin's executable: 64 hexadecimal digits, alone or followed by a file name as sha256sum prints them.")
			} else {
				p.SHA256 = sum
			}
		}
	}
	d.release(p, blk, content)
	return p
}

// checksumField returns the checksum in s, which is either the checksum alone or a
// line as sha256sum prints it ("<checksum>  <file name>"), so that file("x.sha256")
// works; surrounding white space is ignored.
func checksumField(s string) string {
	if f := strings.Fields(s); len(f) == 1 || len(f) == 2 {
		return f[0]
	}
	return s
}

// resolveCommand resolves a relative command that holds a path separator against
// baseDir. Bare names and absolute paths stay as they are.
func resolveCommand(cmd, baseDir string) string {
	if filepath.IsAbs(cmd) || !strings.ContainsAny(cmd, "/"+string(filepath.Separator)) {
		return cmd
	}
	return filepath.Join(baseDir, cmd)
}

func (d *decoder) role(blk *hcl.Block) *Role {
	r := &Role{
		Name:            blk.Labels[0],
		Config:          hcl.EmptyBody(),
		DeclRange:       blk.DefRange,
		SourceRange:     blk.DefRange,
		SourceRoleRange: blk.DefRange,
		ConfigRange:     blk.DefRange,
		baseDir:         d.baseDir,
		lookupEnv:       d.lookupEnv,
	}
	d.checkName("role", blk)
	content, diags := blk.Body.Content(roleSchema)
	hintRole(blk.Body, diags)
	d.add(diags...)

	if a := content.Attributes["source"]; a != nil {
		r.SourceRange = a.Expr.Range()
		if s, ok := d.str(a); ok {
			if s == "" {
				d.errorf(r.SourceRange, "Empty source",
					"source names the plugin that provides the role's credentials, such as \"sts\".")
			} else {
				r.Source = s
			}
		}
	}
	if a := content.Attributes["region"]; a != nil {
		r.Region, _ = d.str(a)
	}
	if a := content.Attributes["endpoint"]; a != nil {
		if s, ok := d.str(a); ok && s != "" {
			if validEndpoint(s) {
				r.Endpoint = s
			} else {
				d.errorf(a.Expr.Range(), "Invalid endpoint URL",
					"endpoint must be an absolute http or https URL with a host, such as \"https://sts.us-east-1.amazonaws.com\".")
			}
		}
	}
	if a := content.Attributes["source_role"]; a != nil {
		r.SourceRoleRange = a.Expr.Range()
		r.SourceRole, _ = d.str(a)
		d.literalSourceRole[r] = !hasCall(a.Expr)
	}

	var refresh, config *hcl.Block
	for _, b := range content.Blocks {
		switch b.Type {
		case "refresh":
			if refresh != nil {
				d.errorf(b.DefRange, "Duplicate refresh block",
					"A role has at most one refresh block; the first is at %s.", at(refresh.DefRange))
				continue
			}
			refresh = b
			d.refresh(b, r)
		case "config":
			if config != nil {
				d.errorf(b.DefRange, "Duplicate config block",
					"A role has at most one config block; the first is at %s.", at(config.DefRange))
				continue
			}
			config = b
			r.Config = b.Body
			r.ConfigRange = b.DefRange
			r.hasConfig = true
		}
	}
	return r
}

// validEndpoint reports whether s is an absolute http or https URL with a host.
func validEndpoint(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Opaque == "" && u.Hostname() != ""
}

func (d *decoder) refresh(blk *hcl.Block, r *Role) {
	content, diags := blk.Body.Content(refreshSchema)
	d.add(diags...)
	adv, advAttr := d.duration(content.Attributes["advisory"])
	man, manAttr := d.duration(content.Attributes["mandatory"])
	r.Advisory, r.Mandatory = adv, man
	r.Timeout, _ = d.duration(content.Attributes["timeout"])
	d.checkWindows(adv, man, advAttr, manAttr)
}

// checkWindows is the one check of a role's refresh windows: the mandatory window
// must be shorter than the advisory one, whether advisory is set or defaulted (the
// defaults are the cache's, cache.DefaultAdvisory and cache.DefaultMandatory, which
// apply to whatever is unset). A lifetime too short for the windows is the cache's to
// handle at run time (cache.Windows), as only then is it known.
func (d *decoder) checkWindows(adv, man time.Duration, advAttr, manAttr *hcl.Attribute) {
	switch {
	case man == 0:
	case adv > 0 && man >= adv:
		d.errorf(manAttr.Expr.Range(), "Mandatory window too long",
			"mandatory must be shorter than advisory (set at %s): the background refresh starts advisory before expiry, and only inside the mandatory window do callers wait for it.",
			at(advAttr.Expr.Range()))
	case adv == 0 && man >= cache.DefaultAdvisory:
		d.errorf(manAttr.Expr.Range(), "Mandatory window too long",
			"mandatory (%v) must be shorter than advisory, which defaults to %v: set advisory too, or shorten mandatory.",
			man, cache.DefaultAdvisory)
	}
}

// duration returns the positive duration that a holds, or 0 when a is nil, unset or
// invalid; it also returns a, for convenience.
func (d *decoder) duration(a *hcl.Attribute) (time.Duration, *hcl.Attribute) {
	if a == nil {
		return 0, nil
	}
	s, ok := d.str(a)
	if !ok || s == "" {
		return 0, a
	}
	v, err := time.ParseDuration(s)
	switch {
	case err != nil:
		d.errorf(a.Expr.Range(), "Invalid duration",
			"%s must be a Go duration such as \"5m\", \"90s\" or \"1h30m\".", a.Name)
		return 0, a
	case v <= 0:
		d.errorf(a.Expr.Range(), "Invalid duration", "%s must be longer than zero.", a.Name)
		return 0, a
	}
	return v, a
}

// eval returns the value of expr, after checking that it is an expression that brs
// allows.
func (d *decoder) eval(expr hcl.Expression) (cty.Value, bool) {
	if diags := checkExpr(expr); diags.HasErrors() {
		d.add(diags...)
		return cty.DynamicVal, false
	}
	v, diags := expr.Value(d.ctx)
	d.add(cleanDiags(diags)...)
	if diags.HasErrors() {
		return cty.DynamicVal, false
	}
	if !v.IsWhollyKnown() {
		// Without variables nothing is unknown but what the parser put in place of
		// an expression it could not read (it reports only the first of those).
		d.errorf(expr.Range(), "Invalid expression", "Expected a value here, such as a quoted string.")
		return cty.DynamicVal, false
	}
	return v, true
}

// str returns the string that a holds, "" when it is null. ok is false when a
// diagnostic was reported.
func (d *decoder) str(a *hcl.Attribute) (s string, ok bool) {
	v, ok := d.eval(a.Expr)
	if !ok {
		return "", false
	}
	v, err := convert.Convert(v, cty.String)
	if err != nil {
		d.typeError(a, err)
		return "", false
	}
	if v.IsNull() {
		return "", true
	}
	return v.AsString(), true
}

// strList returns the list of strings that a holds, nil when it is null or empty.
// ok is false when a diagnostic was reported.
func (d *decoder) strList(a *hcl.Attribute) (list []string, ok bool) {
	v, ok := d.eval(a.Expr)
	if !ok {
		return nil, false
	}
	v, err := convert.Convert(v, cty.List(cty.String))
	if err != nil {
		d.typeError(a, err)
		return nil, false
	}
	if v.IsNull() {
		return nil, true
	}
	if hasNullElement(v) {
		d.add(nullElementDiag(a.Name, a.Expr.Range()))
		return nil, false
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		list = append(list, e.AsString())
	}
	return list, true
}

// typeError reports that a's value does not convert to the attribute's type. Like
// HCL's own messages, it never shows the value.
func (d *decoder) typeError(a *hcl.Attribute, err error) {
	d.errorf(a.Expr.Range(), "Incorrect attribute value type",
		"Inappropriate value for attribute %q: %s.", a.Name, err)
}

// hasNullElement reports whether the list or map v holds a null element.
func hasNullElement(v cty.Value) bool {
	if v.IsNull() || !v.IsKnown() || !v.CanIterateElements() {
		return false
	}
	for it := v.ElementIterator(); it.Next(); {
		if _, e := it.Element(); e.IsNull() {
			return true
		}
	}
	return false
}

func nullElementDiag(name string, subject hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Null element",
		Detail:   fmt.Sprintf("%s holds a null element; remove it or give it a value.", name),
		Subject:  subject.Ptr(),
	}
}
