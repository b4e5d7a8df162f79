// Package pluginlock reads and writes brs.lock.hcl, the file beside a config that
// records, for each third-party plugin the config requires, the version installed and
// the SHA-256 of its binary on every platform the release offers. The host runs a
// required plugin only if its binary matches the lock, as it does a sha256 pin.
package pluginlock

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/brs-go/brs/internal/atomicfile"
	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// FileName is the lock file's name; it sits beside the config file.
const FileName = "brs.lock.hcl"

// maxSize bounds the lock file: it holds a few lines per plugin.
const maxSize = 1 << 20

// PathFor returns the lock file that belongs to the config file at configPath.
func PathFor(configPath string) string {
	return filepath.Join(filepath.Dir(configPath), FileName)
}

// Entry is one locked plugin.
type Entry struct {
	// Name is the plugin's name, the label of its plugin block.
	Name string
	// Source is where the release came from, as the plugin block writes it.
	Source string
	// Version is the version installed, without a leading "v".
	Version string
	// Constraints are the plugin block's version constraints when the entry was made.
	Constraints string
	// Hashes maps a platform ("linux_amd64") to the SHA-256 of the binary for it.
	Hashes map[string][]byte

	// Range is where the entry's block is written, for diagnostics.
	Range hcl.Range
}

// Hash returns the locked SHA-256 of the binary for platform, if the entry has one.
func (e *Entry) Hash(platform string) ([]byte, bool) {
	h, ok := e.Hashes[platform]
	return h, ok
}

// Lock is a lock file's contents.
type Lock struct {
	// Entries are the locked plugins, by name.
	Entries map[string]*Entry
}

var (
	nameRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	platformRE = regexp.MustCompile(`^[a-z0-9]+_[a-z0-9]+$`)

	fileSchema  = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "plugin", LabelNames: []string{"name"}}}}
	entrySchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "source", Required: true},
		{Name: "version", Required: true},
		{Name: "constraints"},
		{Name: "hashes", Required: true},
	}}
)

// Read reads the lock file at path. A missing file is an empty lock, not an error.
// Every problem is a diagnostic with the file's line and column.
func Read(path string) (*Lock, hcl.Diagnostics) {
	l := &Lock{Entries: map[string]*Entry{}}
	src, err := boundedfile.ReadFile(path, maxSize)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unreadable lock file", Detail: err.Error()}}
	}
	return parse(src, path)
}

func parse(src []byte, path string) (*Lock, hcl.Diagnostics) {
	l := &Lock{Entries: map[string]*Entry{}}
	f, diags := hclparse.NewParser().ParseHCL(src, path)
	if diags.HasErrors() {
		return nil, diags
	}
	content, d := f.Body.Content(fileSchema)
	diags = append(diags, d...)
	for _, blk := range content.Blocks {
		e, d := entry(blk)
		diags = append(diags, d...)
		if e == nil {
			continue
		}
		if first, dup := l.Entries[e.Name]; dup {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate plugin in lock file",
				Detail:  fmt.Sprintf("plugin %q is locked twice; the first entry is at %s. Remove the lock file and run \"brs plugins install\" again.", e.Name, first.Range),
				Subject: blk.DefRange.Ptr()})
			continue
		}
		l.Entries[e.Name] = e
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return l, diags
}

func entry(blk *hcl.Block) (*Entry, hcl.Diagnostics) {
	e := &Entry{Name: blk.Labels[0], Hashes: map[string][]byte{}, Range: blk.DefRange}
	bad := func(r hcl.Range, summary, detail string) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail + " The lock file is written by \"brs plugins install\": run it again rather than editing the file.", Subject: r.Ptr()}}
	}
	if !nameRE.MatchString(e.Name) {
		return nil, bad(blk.LabelRanges[0], "Invalid plugin name in lock file", "A plugin name holds only letters, digits, \"_\", \".\" and \"-\".")
	}
	content, diags := blk.Body.Content(entrySchema)
	if diags.HasErrors() {
		return nil, diags
	}
	str := func(name string) (string, hcl.Diagnostics) {
		a := content.Attributes[name]
		if a == nil {
			return "", nil
		}
		v, d := a.Expr.Value(nil)
		if d.HasErrors() {
			return "", d
		}
		if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
			return "", bad(a.Expr.Range(), "Invalid lock file value", name+" must be a string.")
		}
		return v.AsString(), nil
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"source", &e.Source}, {"version", &e.Version}, {"constraints", &e.Constraints}} {
		s, d := str(f.name)
		diags = append(diags, d...)
		*f.dst = s
	}
	if diags.HasErrors() {
		return nil, diags
	}
	a := content.Attributes["hashes"]
	v, d := a.Expr.Value(nil)
	if d.HasErrors() {
		return nil, d
	}
	if v.IsNull() || !v.IsKnown() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil, bad(a.Expr.Range(), "Invalid lock file hashes", "hashes maps a platform such as linux_amd64 to \"sha256:<64 hex digits>\".")
	}
	for k, h := range v.AsValueMap() {
		if !platformRE.MatchString(k) || h.IsNull() || h.Type() != cty.String {
			return nil, bad(a.Expr.Range(), "Invalid lock file hashes", fmt.Sprintf("%q is not a platform such as linux_amd64 with a string hash.", k))
		}
		sum, err := hex.DecodeString(strings.TrimPrefix(h.AsString(), "sha256:"))
		if !strings.HasPrefix(h.AsString(), "sha256:") || err != nil || len(sum) != 32 {
			return nil, bad(a.Expr.Range(), "Invalid lock file hash", fmt.Sprintf("the hash for %s is not \"sha256:\" and 64 hexadecimal digits.", k))
		}
		e.Hashes[k] = sum
	}
	if len(e.Hashes) == 0 {
		return nil, bad(a.Expr.Range(), "Invalid lock file hashes", "hashes lists no platform.")
	}
	return e, nil
}

// Bytes returns the lock file's text: entries sorted by name, platforms sorted.
func (l *Lock) Bytes() []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	names := make([]string, 0, len(l.Entries))
	for n := range l.Entries {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		if i > 0 {
			body.AppendNewline()
		}
		e := l.Entries[n]
		b := body.AppendNewBlock("plugin", []string{n}).Body()
		b.SetAttributeValue("source", cty.StringVal(e.Source))
		b.SetAttributeValue("version", cty.StringVal(e.Version))
		if e.Constraints != "" {
			b.SetAttributeValue("constraints", cty.StringVal(e.Constraints))
		}
		platforms := make([]string, 0, len(e.Hashes))
		for p := range e.Hashes {
			platforms = append(platforms, p)
		}
		slices.Sort(platforms)
		hashes := map[string]cty.Value{}
		for _, p := range platforms {
			hashes[p] = cty.StringVal("sha256:" + hex.EncodeToString(e.Hashes[p]))
		}
		b.SetAttributeValue("hashes", cty.ObjectVal(hashes))
	}
	var out bytes.Buffer
	out.WriteString("# brs.lock.hcl: the plugins this config requires, as \"brs plugins install\" found them.\n")
	out.WriteString("# Commit it with the config; brs refuses a binary whose hash it does not list.\n\n")
	out.Write(hclwrite.Format(f.Bytes()))
	return out.Bytes()
}

// Write writes the lock file to path atomically (a temporary file renamed over it),
// readable by others (it holds no secret) but writable only by its owner.
func (l *Lock) Write(path string) error {
	if err := atomicfile.WriteFile(path, l.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the lock file: %w", err)
	}
	return nil
}
