package config

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"

	"github.com/brs-go/brs/internal/pluginlock"
	"github.com/hashicorp/hcl/v2"
)

// release reads a plugin block's source, version and signing_key, and checks that the
// block says how to run the plugin: either command, or source with version.
func (d *decoder) release(p *Plugin, blk *hcl.Block, content *hcl.BodyContent) {
	cmd := content.Attributes["command"]
	src := content.Attributes["source"]
	ver := content.Attributes["version"]
	key := content.Attributes["signing_key"]
	if src != nil {
		p.Source, _ = d.str(src)
		p.CommandRange = src.Expr.Range()
	}
	if ver != nil {
		if p.Version, _ = d.str(ver); p.Version != "" {
			if _, err := pluginlock.ParseConstraints(p.Version); err != nil {
				d.errorf(ver.Expr.Range(), "Invalid version constraint", "%s.", err)
			}
		}
	}
	if key != nil {
		if p.SigningKey, _ = d.str(key); p.SigningKey != "" && !validSigningKey(p.SigningKey) {
			d.errorf(key.Expr.Range(), "Invalid signing_key",
				"signing_key is \"ed25519:\" followed by the base64 of the release signer's 32-byte public key.")
		}
	}
	switch {
	case cmd == nil && src == nil:
		d.errorf(blk.Body.MissingItemRange(), "Missing command or source",
			"A plugin block says how to run the plugin: command = \"PATH\" for a binary you installed, or source = \"URL\" and version = \"~> 1.2\" for one that \"brs plugins install\" installs.")
	case cmd != nil && src != nil:
		d.errorf(src.Expr.Range(), "Both command and source",
			"A plugin block has either command (a binary you installed) or source and version (one that \"brs plugins install\" installs and brs.lock.hcl pins), not both.")
	case src != nil && ver == nil:
		d.errorf(src.Expr.Range(), "Missing version",
			"A plugin installed from a source needs version = \"...\": the versions brs may install, such as \"~> 1.2\" or \"1.2.3\".")
	case src == nil && (ver != nil || key != nil):
		r := ver
		if r == nil {
			r = key
		}
		d.errorf(r.Expr.Range(), "version without source",
			"version and signing_key belong to a plugin installed from a release: add source = \"URL\", or remove them and keep command.")
	}
	if src != nil && p.Source == "" {
		d.errorf(src.Expr.Range(), "Empty source", "source is the https URL or directory where the plugin's releases are published.")
	}
	if src != nil && p.SHA256 != nil {
		d.errorf(p.SHA256Range, "sha256 with source",
			"A plugin installed from a source is pinned by brs.lock.hcl, which records its hash per platform; remove sha256.")
	}
}

func validSigningKey(s string) bool {
	b64, ok := strings.CutPrefix(s, "ed25519:")
	k, err := base64.StdEncoding.DecodeString(b64)
	return ok && err == nil && len(k) == ed25519.PublicKeySize
}
