// Command brs-plugin-session is the brs refresher plugin for the built-in "session"
// source: it serves STS GetSessionToken with MFA (internal/source/session) to the brs
// host over go-plugin. The host starts it; run by hand it only says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/session"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "session", Refresher: session.New()})
}
