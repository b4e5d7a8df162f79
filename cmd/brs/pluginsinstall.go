package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/internal/pluginlock"
	"github.com/brs-go/brs/internal/pluginrelease"
)

// pluginsInstallHelp is the part of `brs help plugins` about install and upgrade.
const pluginsInstallHelp = `
brs plugins install installs the plugins that plugin blocks require with source
and version:

  plugin "vault" {
    source  = "https://releases.example.com/brs-plugin-vault"
    version = "~> 1.2"
  }

It fetches the release (VERSIONS, <version>/SHA256SUMS, the binary for this
platform), checks the binary's sha256, installs it under
$XDG_DATA_HOME/brs/plugins (~/.local/share/brs/plugins), and records version and
hashes in brs.lock.hcl beside the config. Commit the lock file: later runs, here
and elsewhere, install and run only what it lists, and refuse a release or a
binary that changed. brs plugins upgrade [NAME...] picks the newest version that
version allows, for every plugin or those named.`

// pluginsManage is `brs plugins install` and `brs plugins upgrade [NAME...]`.
func (c *cli) pluginsManage(ctx context.Context, args []string) int {
	sub, names := args[0], args[1:]
	switch {
	case sub != "install" && sub != "upgrade":
		return c.pluginsUsage("brs plugins: unknown subcommand %q: use install or upgrade", sub)
	case sub == "install" && len(names) > 0:
		return c.pluginsUsage("brs plugins install takes no plugin names: it installs what the config requires; brs plugins upgrade NAME picks a newer version")
	}
	path, err := c.configPath()
	if err != nil {
		return c.pluginsUsage("%v", err)
	}
	reqs, diags := pluginrelease.Requirements(path)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				c.errorf("%s", d.Error())
			}
		}
		return exitError
	}
	if len(reqs) == 0 {
		fmt.Fprintf(c.stdout, "No plugin block in %s has a source: nothing to install.\n", path)
		return exitOK
	}
	for _, n := range names {
		if !slices.ContainsFunc(reqs, func(r pluginrelease.Requirement) bool { return r.Name == n }) {
			return c.pluginsUsage("brs plugins upgrade: %s has no plugin %q with a source", path, n)
		}
	}
	dir, err := pluginlock.DefaultDir(func(k string) string { v, _ := c.lookupEnv(k); return v })
	if err != nil {
		return c.errorf("%v", err)
	}
	lockPath := pluginlock.PathFor(path)
	lock, ldiags := pluginlock.Read(lockPath)
	if ldiags.HasErrors() {
		for _, d := range ldiags {
			c.errorf("%s: %s", lockPath, d.Error())
		}
		return exitError
	}
	results, err := pluginrelease.Install(ctx, reqs, lock, pluginrelease.Options{
		Dir: dir, BaseDir: filepath.Dir(path), Upgrade: sub == "upgrade", Only: names,
	})
	if err != nil {
		return c.errorf("%v", err)
	}
	if err := lock.Write(lockPath); err != nil {
		return c.errorf("%v", err)
	}
	for _, r := range results {
		what := "already installed"
		switch {
		case r.Previous != "":
			what = "upgraded from " + r.Previous + ", installed"
		case r.Downloaded:
			what = "installed"
		}
		fmt.Fprintf(c.stdout, "%s %s: %s at %s\n", r.Name, r.Version, what, r.Path)
	}
	fmt.Fprintf(c.stdout, "Wrote %s: commit it with the config.\n", lockPath)
	return exitOK
}

// pluginsUsage reports a wrong call of brs plugins and returns exitUsage.
func (c *cli) pluginsUsage(format string, args ...any) int {
	c.errorf(format, args...)
	return exitUsage
}
