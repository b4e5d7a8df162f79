// Command brs-plugin-process is the brs refresher plugin for the built-in "process"
// source: it runs a command that prints AWS credential_process JSON
// (internal/source/process) and serves the credentials to the brs host over
// go-plugin. The host starts it; run by hand it only says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/process"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "process", Refresher: process.New(process.WithLogger(plugin.Logger()))})
}
