// Command vaultplugin is a Vault-style HTTP credential source plugin, built on the
// public SDK only (plugin, plugin/httpsource, shared), as a third party would write
// one: tests run it as a real plugin subprocess under a real host.
package main

import (
	"github.com/brs-go/brs/internal/testutil/vaultplugin/vault"
	"github.com/brs-go/brs/plugin"
)

func main() {
	plugin.Serve(&plugin.ServeOpts{Name: "vault", Version: "0.1.0", Refresher: vault.New()})
}
