// Command brs-plugin-saml is the brs refresher plugin for the built-in "saml" source:
// it serves STS AssumeRoleWithSAML (internal/source/saml) to the brs host over
// go-plugin. The host starts it; run by hand it only says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/saml"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "saml", Refresher: saml.New(saml.WithLogger(plugin.Logger()))})
}
