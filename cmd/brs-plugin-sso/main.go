// Command brs-plugin-sso is the brs refresher plugin for the built-in "sso" source: it
// serves IAM Identity Center role credentials (internal/source/sso) to the brs host
// over go-plugin, using and renewing the token that `aws sso login` caches. The host
// starts it; run by hand it only says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/sso"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "sso", Refresher: sso.New(sso.WithLogger(plugin.Logger()))})
}
