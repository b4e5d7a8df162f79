// Command brs-plugin-roles_anywhere is the brs refresher plugin for the built-in
// "roles_anywhere" source: it gets credentials from IAM Roles Anywhere with an X.509
// certificate and its private key (internal/source/rolesanywhere) for the brs host
// over go-plugin. The host starts it; run by hand it only says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/rolesanywhere"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "roles_anywhere", Refresher: rolesanywhere.New()})
}
