// Command brs-plugin-web_identity is the brs refresher plugin for the built-in
// "web_identity" source: it exchanges an OpenID Connect token for an IAM role's
// credentials with STS AssumeRoleWithWebIdentity (internal/source/webidentity) and
// serves them to the brs host over go-plugin. The host starts it; run by hand it only
// says that it is a plugin.
package main

import (
	"github.com/brs-go/brs/internal/source/webidentity"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "web_identity", Refresher: webidentity.New(webidentity.WithLogger(plugin.Logger()))})
}
