package config

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
)

// ParseOnly reads the brs file at path as Parse does, but parses and checks only its
// plugin blocks, the roles named in roles and the roles their source_role chains name:
// what a command that needs some roles pays for, whatever the size of the file. The
// limits of Parse are checked on the whole file, and File.RoleNames lists every role.
//
// An error in a role that is not read goes unnoticed; Parse is the check of the
// whole file. When the file is not laid out plainly enough to find its blocks
// without parsing it (a top-level attribute, a block type that brs does not know, a
// header split over lines or with a comment, two roles of one name, a brace left
// open, a syntax error in a block that is read), or when roles is empty or names a
// role that is not in it, ParseOnly is Parse.
func ParseOnly(path string, roles []string, opts ...Option) (*File, hcl.Diagnostics) {
	src, d := readSource(path)
	if d != nil {
		return build(map[string]*hcl.File{}, nil, path, hcl.Diagnostics{d}, newParseOptions(opts))
	}
	return ParseSourceOnly(src, path, roles, opts...)
}

// ParseSourceOnly is ParseOnly for a file held in memory, as ParseSource is for
// Parse.
func ParseSourceOnly(src []byte, filename string, roles []string, opts ...Option) (*File, hcl.Diagnostics) {
	o := newParseOptions(opts)
	lay, diags := checkLimits(src, filename, true)
	if diags.HasErrors() {
		return build(map[string]*hcl.File{}, nil, filename, diags, o)
	}
	full := func() (*File, hcl.Diagnostics) {
		hf, diags := parseHCL(src, filename, lay.cuts)
		return build(map[string]*hcl.File{filename: hf}, hf, filename, diags, o)
	}
	if lay.unclosed || len(roles) == 0 {
		return full()
	}
	var (
		plugins []span
		names   []string
		byName  = map[string]span{}
	)
	for _, it := range lay.items {
		typ, label, ok := blockHeader(src[it.start:it.end])
		if !ok {
			return full()
		}
		if typ == "plugin" {
			plugins = append(plugins, it)
			continue
		}
		if _, dup := byName[label]; dup {
			return full()
		}
		byName[label] = it
		names = append(names, label)
	}
	want := map[string]bool{}
	for _, name := range roles {
		if _, ok := byName[name]; !ok {
			return full()
		}
		want[name] = true
	}
	// Read the roles wanted and, until the chains end, the roles they name as
	// source_role (an unknown one or a cycle is the decoder's diagnostic).
	for {
		spans := append([]span(nil), plugins...)
		for name := range want {
			spans = append(spans, byName[name])
		}
		sortSpans(spans)
		hf, ok := parseSpans(src, filename, spans)
		if !ok {
			return full()
		}
		f, diags := buildNames(map[string]*hcl.File{filename: hf}, hf, filename, nil, names, o)
		grown := false
		for _, r := range f.Roles {
			if _, known := byName[r.SourceRole]; known && !want[r.SourceRole] {
				want[r.SourceRole] = true
				grown = true
			}
		}
		if !grown {
			f.names = names
			return f, diags
		}
	}
}

// sortSpans sorts spans by their start, in place: few, so by insertion.
func sortSpans(spans []span) {
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].start < spans[j-1].start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
}

// blockHeader returns the type and label of the block that item starts when its
// header is written plainly, `type "label" {` on one line, with a label that is a
// valid name, and a type that is role or plugin; ok is false otherwise.
func blockHeader(item []byte) (typ, label string, ok bool) {
	i := 0
	for i < len(item) && (item[i] >= 'a' && item[i] <= 'z' || item[i] == '_') {
		i++
	}
	if i == 0 {
		return "", "", false
	}
	switch string(item[:i]) { // no allocation
	case "role":
		typ = "role"
	case "plugin":
		typ = "plugin"
	default:
		return "", "", false
	}
	i = skipBlanks(item, i)
	if i >= len(item) || item[i] != '"' {
		return "", "", false
	}
	end := bytes.IndexByte(item[i+1:], '"')
	if end < 0 {
		return "", "", false
	}
	label = string(item[i+1 : i+1+end])
	i = skipBlanks(item, i+1+end+1)
	if !nameRE.MatchString(label) || i >= len(item) || item[i] != '{' {
		return "", "", false
	}
	return typ, label, true
}

func skipBlanks(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}
