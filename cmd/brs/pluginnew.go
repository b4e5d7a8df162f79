package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/brs-go/brs/internal/plugintemplate"
)

// pluginNewHelp is `brs help plugin`.
const pluginNewHelp = `brs plugin new NAME [DIR] writes a new plugin module into DIR (default
./brs-plugin-NAME): the template in examples/plugin, with the source name, binary
name and module path filled in, its conformance test and Makefile. Then:

  cd brs-plugin-NAME && make test    # the conformance suite against your source
  make build                        # ./brs-plugin-NAME

and publish releases as "brs help plugins" describes, or point a plugin block's
command at the binary.

  -module PATH    the Go module path (default example.com/brs-plugin-NAME)
  -brs-dir DIR    build against a local brs checkout (adds a replace directive)`

// setupPluginNew is `brs plugin new NAME [DIR]`.
func setupPluginNew(fs *flag.FlagSet) runFunc {
	module := fs.String("module", "", "the Go module path (default example.com/brs-plugin-NAME)")
	brsDir := fs.String("brs-dir", "", "build against the brs checkout in this directory")
	return func(_ context.Context, c *cli, args []string) int {
		if args[0] != "new" {
			return c.pluginsUsage("brs plugin: unknown subcommand %q: use brs plugin new NAME [DIR]", args[0])
		}
		if len(args) < 2 {
			return c.pluginsUsage("brs plugin new: give the plugin's name, e.g. brs plugin new vault")
		}
		name := args[1]
		dir := "brs-plugin-" + name
		if len(args) > 2 {
			dir = args[2]
		}
		local := *brsDir
		if local != "" {
			abs, err := filepath.Abs(local)
			if err != nil {
				return c.errorf("%v", err)
			}
			local = abs
		}
		if err := plugintemplate.Write(dir, plugintemplate.Options{Name: name, Module: *module, SDKVersion: "v" + sdkVersion, BRSDir: local}); err != nil {
			return c.errorf("%v", err)
		}
		fmt.Fprintf(c.stdout, "Wrote plugin %q in %s. Next: cd %s && make test\n", name, dir, dir)
		return exitOK
	}
}
