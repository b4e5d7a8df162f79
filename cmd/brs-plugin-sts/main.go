// Command brs-plugin-sts is the brs refresher plugin for the built-in "sts" source: it
// serves STS AssumeRole (internal/source/sts) to the brs host over go-plugin. The host
// starts it; run by hand it only says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "sts", Refresher: sts.New()})
}
