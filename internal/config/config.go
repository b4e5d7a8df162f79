package config

import (
	"io"
	"path/filepath"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// File is a parsed brs configuration file.
type File struct {
	// Path is the file's name as given to Parse or ParseSource.
	Path string
	// Plugins are the file's plugin blocks, by label.
	Plugins map[string]*Plugin
	// Roles are the file's role blocks, in file order.
	Roles []*Role

	// files are the sources read, by name, for diagnostics.
	files map[string]*hcl.File
	roles map[string]*Role
	// seen holds what env() and file() returned outside config blocks.
	seen seen
	// names are the names of all the file's roles when ParseOnly read only some.
	names []string
}

// RoleNames returns the names of the file's roles, in file order: all of them, also
// after ParseOnly, whose Roles holds only those it read.
func (f *File) RoleNames() []string {
	if f == nil {
		return nil
	}
	if f.names != nil {
		return append([]string(nil), f.names...)
	}
	names := make([]string, 0, len(f.Roles))
	for _, r := range f.Roles {
		names = append(names, r.Name)
	}
	return names
}

// Sensitive returns the values that env() and file() returned while the file was
// read, outside config blocks (DecodeConfig reports those of a config block), in every
// form a message may quote them in: a log redactor must hide them. Values shorter than
// 8 bytes are left out; no diagnostic of Parse quotes the others.
func (f *File) Sensitive() []string {
	if f == nil {
		return nil
	}
	return f.seen.forms()
}

// Role returns the role called name, or nil if the file declares no such role.
func (f *File) Role(name string) *Role {
	if f == nil {
		return nil
	}
	return f.roles[name]
}

// Files returns the source of every file the parser read, by name, for
// WriteDiagnostics.
func (f *File) Files() map[string]*hcl.File {
	if f == nil || f.files == nil {
		return map[string]*hcl.File{}
	}
	return f.files
}

// Plugin is a plugin block: how to start the plugin that provides a source.
type Plugin struct {
	// Name is the block's label, the source name that roles use.
	Name string
	// Command is the plugin's executable as written. A relative path that contains a
	// path separator is resolved against the directory of the brs file; a bare name
	// is left for the host to look up.
	Command string
	// Args are the command's arguments; nil when unset or empty.
	Args []string
	// SHA256 is the checksum that the executable must have; nil when unset.
	SHA256 []byte

	// Source is where releases of the plugin are published (an https URL or a
	// directory), for a plugin that "brs plugins install" installs; Command is empty
	// then, and Version holds the acceptable versions.
	Source string
	// Version is the version constraint of an installed plugin, e.g. "~> 1.2".
	Version string
	// SigningKey, when set, is the ed25519 key that must have signed each release
	// ("ed25519:<base64>").
	SigningKey string

	// DeclRange is where the block's header is written.
	DeclRange hcl.Range
	// CommandRange is where the command's value is written.
	CommandRange hcl.Range
	// SHA256Range is where the sha256 value is written, or DeclRange when unset.
	SHA256Range hcl.Range

	// Invalid tells that the block has errors, which Parse reported: its command or
	// checksum may be missing, and the plugin must not be run.
	Invalid bool
}

// Role is a role block: one set of credentials that brs keeps fresh.
type Role struct {
	// Name is the block's label.
	Name string
	// Source names the plugin that provides the credentials, e.g. "sts".
	Source string
	// Region is the AWS region for the source's API calls; empty when unset.
	Region string
	// Endpoint overrides the source's AWS endpoint; empty when unset, otherwise an
	// absolute http or https URL.
	Endpoint string
	// SourceRole names the role whose credentials the source signs its calls with;
	// empty when unset. It always names another role of the same file.
	SourceRole string
	// Advisory is how long before expiry a background refresh starts; 0 when unset.
	Advisory time.Duration
	// Mandatory is how long before expiry callers wait for a refresh; 0 when unset.
	Mandatory time.Duration
	// Timeout bounds one refresh of the role (an MFA prompt needs longer than the
	// default); 0 when unset.
	Timeout time.Duration
	// Config is the body of the role's config block, or an empty body when the role
	// has none. DecodeConfig checks it against the source's schema.
	Config hcl.Body

	// DeclRange is where the block's header is written.
	DeclRange hcl.Range
	// SourceRange is where the source's value is written.
	SourceRange hcl.Range
	// SourceRoleRange is where the source_role value is written, or DeclRange when
	// unset.
	SourceRoleRange hcl.Range
	// ConfigRange is where the config block's header is written, or DeclRange when
	// the role has no config block.
	ConfigRange hcl.Range

	// Invalid tells that the block has errors, which Parse reported: the role is
	// listed so that its name is known, but its settings are incomplete and its
	// config block is not to be decoded.
	Invalid bool

	// baseDir is the directory that file() resolves relative paths against.
	baseDir string
	// lookupEnv is what env() reads (Parse's WithEnviron).
	lookupEnv func(string) (string, bool)
	// hasConfig tells whether the role has a config block.
	hasConfig bool
}

// Parse reads and checks the brs file at path.
//
// The File is never nil, so that its Files can be handed to WriteDiagnostics, but it
// is complete only when the diagnostics hold no error. A syntax error does not end the
// check: the blocks that do not hold one are checked too, and the roles whose blocks
// have errors are marked Invalid.
//
// A file larger than MaxFileSize, nested deeper than MaxNesting, with a string
// beyond MaxTemplateSize or MaxTemplateParts, or with a list or map beyond
// MaxCollectionItems (MaxCollectionItemsTotal for all together) is refused before HCL
// parses it. A file that its group or others may write, or that another user than the
// current one and root owns, or whose directories are such, is refused before it is
// read (see internal/filetrust).
func Parse(path string, opts ...Option) (*File, hcl.Diagnostics) {
	src, d := readSource(path)
	if d != nil {
		return build(map[string]*hcl.File{}, nil, path, hcl.Diagnostics{d}, newParseOptions(opts))
	}
	return ParseSource(src, path, opts...)
}

// ParseSource checks src as if it were the brs file called filename. Relative paths in
// the file resolve against filename's directory, as with Parse. The limits of Parse
// apply.
func ParseSource(src []byte, filename string, opts ...Option) (*File, hcl.Diagnostics) {
	o := newParseOptions(opts)
	lay, diags := checkLimits(src, filename, false)
	if diags.HasErrors() {
		return build(map[string]*hcl.File{}, nil, filename, diags, o)
	}
	hf, diags := parseHCL(src, filename, lay.cuts)
	return build(map[string]*hcl.File{filename: hf}, hf, filename, diags, o)
}

// WriteDiagnostics prints diags to w with snippets of the source found in files, word
// wrapped at 78 columns, with terminal colours when color is true.
func WriteDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool) error {
	return hcl.NewDiagnosticTextWriter(w, files, 78, color).WriteDiagnostics(diags)
}

// baseDirOf returns the absolute directory of the file at path, or its directory as
// written when the working directory is unknown.
func baseDirOf(path string) string {
	dir := filepath.Dir(path)
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}
