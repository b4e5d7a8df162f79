// Command brs-plugin-login is the brs refresher plugin for the built-in "login" source:
// it serves the credentials of `aws login` sessions (internal/source/login) to the brs
// host over go-plugin, refreshing them with the sign-in service as the AWS SDKs do.
// The host starts it; run by hand it only says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/login"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "login", Refresher: login.New(login.WithLogger(plugin.Logger()))})
}
