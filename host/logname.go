package host

import (
	"path/filepath"

	"github.com/hashicorp/go-hclog"
)

// withoutBinaryName is the logger go-plugin gets for one source's plugin, whose name
// (brs.plugin.SOURCE) says already whose lines these are. go-plugin names the logger
// it re-logs the plugin's own log lines with after the plugin binary
// (brs.plugin.sts.brs-plugin-sts); that one Named call is ignored, so the plugin's
// lines appear under the source's name. Every other name go-plugin adds ("stdio") is
// kept.
type withoutBinaryName struct {
	hclog.Logger
	binary string // the base name of the plugin binary's path
}

// newPluginLogger returns l, under which go-plugin does not add the base name of
// path.
func newPluginLogger(l hclog.Logger, path string) hclog.Logger {
	return withoutBinaryName{Logger: l, binary: filepath.Base(path)}
}

// Named returns the logger itself for the binary's base name, and l.Logger.Named(name)
// otherwise.
func (l withoutBinaryName) Named(name string) hclog.Logger {
	if name == l.binary {
		return l.Logger
	}
	return l.Logger.Named(name)
}
