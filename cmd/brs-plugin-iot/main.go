// Command brs-plugin-iot is the brs refresher plugin for the built-in "iot" source: it
// gets credentials from the AWS IoT Core credentials provider with a device
// certificate (internal/source/iot) for the brs host over go-plugin. The host starts
// it; run by hand it only says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/iot"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "iot", Refresher: iot.New()})
}
