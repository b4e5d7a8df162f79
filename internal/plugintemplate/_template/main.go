// Command brs-plugin-file is an example of a third-party brs refresher plugin, built only
// on the public plugin and shared packages. It serves the "file" source: credentials
// that another program (a sidecar, a Vault agent, a cron job) keeps writing to a file in
// the AWS credential_process JSON format, re-read at every refresh.
//
// Build it, name it in the brs HCL file and use it in a role:
//
//	go build -o /usr/local/lib/brs/brs-plugin-file .
//
//	plugin "file" {
//	  command = "/usr/local/lib/brs/brs-plugin-file"
//	}
//	role "sidecar" {
//	  source = "file"
//	  config {
//	    path    = "/run/secrets/aws-credentials.json"
//	    max_age = "15m"
//	  }
//	}
//
// The brs host starts it; run by hand it only says that it is a plugin.
package main

import (
	"example.com/brs-plugin-file/filecreds"
	"github.com/brs-go/brs/plugin"
)

func main() {
	// plugin.Logger writes JSON lines to stderr, which the host re-logs under
	// plugin.file; stdout belongs to go-plugin's handshake.
	plugin.Serve(&plugin.ServeOpts{Name: "file", Version: "1.0.0", Refresher: filecreds.New(plugin.Logger())})
}
