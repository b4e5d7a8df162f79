// Command brs-plugin-ecs is the brs refresher plugin for the built-in "ecs" source: it
// reads a container credentials endpoint (internal/source/ecs) for the brs host over
// go-plugin. The host starts it; run by hand it only says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/ecs"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "ecs", Refresher: ecs.New()})
}
