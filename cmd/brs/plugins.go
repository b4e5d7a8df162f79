package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/brs-go/brs/host"
)

// setupPlugins is `brs plugins [--json]`.
func setupPlugins(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print JSON for scripts")
	return func(ctx context.Context, c *cli, args []string) int {
		if len(args) > 0 {
			return c.pluginsManage(ctx, args)
		}
		h, _, code := c.load(ctx)
		if h == nil {
			return code
		}
		defer c.closeHost(h)
		c.warnConfig(h)
		ps := describePlugins(h.Plugins(), fileSHA256)
		var err error
		if *asJSON {
			enc := json.NewEncoder(c.stdout)
			enc.SetIndent("", "  ")
			err = enc.Encode(ps)
		} else {
			err = writePlugins(c.stdout, ps)
		}
		if err != nil {
			return c.errorf("writing to stdout: %v", err)
		}
		return pluginsExit(ps)
	}
}

// pluginsExit is the exit status of brs plugins: exitError when a binary does not
// match its pin or cannot be read.
func pluginsExit(ps []pluginDoc) int {
	for _, p := range ps {
		if p.Pinned == pinMismatch || p.Error != "" {
			return exitError
		}
	}
	return exitOK
}

// Values of pluginDoc.Pinned.
const (
	pinOK       = "ok"
	pinMismatch = "mismatch"
	pinNone     = "none"
	// pinReattached: a plugin started by hand in debug mode; no pin applies.
	pinReattached = "reattached"
)

// pluginDoc describes one plugin, as `brs plugins --json` prints it.
type pluginDoc struct {
	Name            string   `json:"name"`
	Path            string   `json:"path"`
	Args            []string `json:"args,omitempty"`
	ProtocolVersion int      `json:"protocol_version"`
	// PluginName and PluginVersion are what the plugin says it is; empty for
	// in-process sources and for plugins that speak protocol 1, which cannot say.
	PluginName    string `json:"plugin_name,omitempty"`
	PluginVersion string `json:"plugin_version,omitempty"`
	// SHA256 is the binary's checksum, computed now.
	SHA256 string `json:"sha256,omitempty"`
	// PinnedSHA256 is the checksum the plugin block requires; Pinned compares them.
	PinnedSHA256 string   `json:"pinned_sha256,omitempty"`
	Pinned       string   `json:"pinned"`
	Roles        []string `json:"roles"`
	PID          int      `json:"pid"`
	Starts       int      `json:"starts"`
	// Error says why the checksum could not be computed.
	Error string `json:"error,omitempty"`
}

// describePlugins computes each plugin binary's checksum with sum and compares it with
// the pinned one.
func describePlugins(infos []host.PluginInfo, sum func(string) (string, error)) []pluginDoc {
	out := []pluginDoc{}
	for _, p := range infos {
		d := pluginDoc{Name: p.Name, Path: p.Path, Args: p.Args, ProtocolVersion: p.ProtocolVersion,
			PluginName: p.PluginName, PluginVersion: p.PluginVersion,
			PinnedSHA256: p.SHA256, Pinned: pinNone, Roles: p.Roles, PID: p.PID, Starts: p.Starts}
		if d.Roles == nil {
			d.Roles = []string{}
		}
		if p.Path == "" {
			d.Path = "in-process"
		} else if s, err := sum(p.Path); err != nil {
			d.Error = err.Error()
		} else {
			d.SHA256 = s
		}
		switch {
		case p.Reattached:
			d.Pinned = pinReattached
		case p.SHA256 == "":
		case d.SHA256 == p.SHA256:
			d.Pinned = pinOK
		default:
			d.Pinned = pinMismatch
		}
		out = append(out, d)
	}
	return out
}

// writePlugins prints one block per plugin.
func writePlugins(w io.Writer, ps []pluginDoc) error {
	var b strings.Builder
	if len(ps) == 0 {
		b.WriteString("no plugins: the config file names no source\n")
	}
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n", p.Name)
		row := func(k, v string) { fmt.Fprintf(&b, "  %-9s %s\n", k, v) }
		path := p.Path
		if len(p.Args) > 0 {
			path += " " + strings.Join(p.Args, " ")
		}
		row("path", path)
		if p.PluginName != "" || p.PluginVersion != "" {
			row("plugin", strings.TrimSpace(p.PluginName+" "+p.PluginVersion))
		}
		row("protocol", fmt.Sprint(p.ProtocolVersion))
		switch {
		case p.Error != "":
			row("sha256", "cannot read the binary: "+p.Error)
		case p.SHA256 != "":
			row("sha256", p.SHA256)
		}
		switch p.Pinned {
		case pinReattached:
			row("pinned", fmt.Sprintf("reattached (pid %d), pin not applied", p.PID))
		case pinOK:
			row("pinned", "✓ matches the plugin block's sha256")
		case pinMismatch:
			row("pinned", "MISMATCH: the plugin block requires "+p.PinnedSHA256+
				"; the binary changed after brs started it, or is not the one you pinned")
		default:
			if p.SHA256 != "" {
				row("pinned", fmt.Sprintf("no: add sha256 = %q to a plugin %q block to pin it", p.SHA256, p.Name))
			}
		}
		row("roles", strings.Join(p.Roles, ", "))
		pid := "not running"
		if p.PID > 0 {
			pid = fmt.Sprint(p.PID)
		}
		row("pid", pid)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fileSHA256 returns the hex sha256 of a file.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
