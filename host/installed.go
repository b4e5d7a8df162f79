package host

import (
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/internal/config"
	"github.com/brs-go/brs/internal/pluginlock"
)

// WithPluginInstallDir sets the directory that "brs plugins install" installs plugins
// into, where the host looks for the plugins a config requires with source and
// version. The default is $XDG_DATA_HOME/brs/plugins (~/.local/share/brs/plugins).
func WithPluginInstallDir(dir string) Option { return func(o *options) { o.installDir = dir } }

// lockState is a config's lock file as one load read it.
type lockState struct {
	path  string
	lock  *pluginlock.Lock
	diags hcl.Diagnostics
}

// installed resolves a plugin block with source and version to the binary that
// "brs plugins install" put in the install directory, pinned to the hash that
// brs.lock.hcl records for this platform. Anything missing or not matching is a
// diagnostic that says which command mends it.
func (o *options) installed(file *config.File, pb *config.Plugin, p *pluginProc) *hcl.Diagnostic {
	diag := func(summary, detail string, subject hcl.Range) *hcl.Diagnostic {
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject.Ptr()}
	}
	if o.lock == nil {
		path := pluginlock.PathFor(file.Path)
		l, diags := pluginlock.Read(path)
		o.lock = &lockState{path: path, lock: l, diags: diags}
	}
	if o.lock.diags.HasErrors() {
		d := *o.lock.diags[0]
		if d.Subject == nil {
			d.Subject = pb.DeclRange.Ptr()
			d.Detail = o.lock.path + ": " + d.Detail
		}
		return &d
	}
	e, ok := o.lock.lock.Entries[pb.Name]
	if !ok {
		return diag("Plugin not installed",
			fmt.Sprintf("Plugin %q comes from %s, but %s does not list it: run \"brs plugins install\" to install it and lock its version.", pb.Name, pb.Source, o.lock.path),
			pb.DeclRange)
	}
	if e.Source != pb.Source {
		return diag("Plugin source changed",
			fmt.Sprintf("%s locks plugin %q from %s, but the config now says %s: run \"brs plugins upgrade %s\" to install it from the new source.", o.lock.path, pb.Name, e.Source, pb.Source, pb.Name),
			pb.CommandRange)
	}
	if c, err := pluginlock.ParseConstraints(pb.Version); err == nil && !c.Allows(e.Version) {
		return diag("Locked plugin version not allowed",
			fmt.Sprintf("%s locks plugin %q at %s, which version = %q does not allow: run \"brs plugins upgrade %s\".", o.lock.path, pb.Name, e.Version, pb.Version, pb.Name),
			pb.DeclRange)
	}
	platform := pluginlock.Platform()
	sum, ok := e.Hash(platform)
	if !ok {
		return diag("Plugin not locked for this platform",
			fmt.Sprintf("%s has no hash of plugin %q %s for %s: run \"brs plugins install\" on this machine to add it.", o.lock.path, pb.Name, e.Version, platform),
			pb.DeclRange)
	}
	dir := o.installDir
	if dir == "" {
		var err error
		if dir, err = pluginlock.DefaultDir(o.getenv); err != nil {
			return diag("No plugin directory", err.Error(), pb.DeclRange)
		}
	}
	path := pluginlock.InstallPath(dir, pb.Name, e.Version, platform)
	if _, err := os.Stat(path); err != nil {
		return diag("Plugin not installed",
			fmt.Sprintf("Plugin %q %s is locked but not installed at %s: run \"brs plugins install\".", pb.Name, e.Version, path),
			pb.DeclRange)
	}
	p.path, p.args, p.checksum = path, pb.Args, sum
	return nil
}
