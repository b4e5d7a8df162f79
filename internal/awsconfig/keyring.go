package awsconfig

import (
	"fmt"
	"slices"

	"github.com/brs-go/brs/internal/keyring"
)

// useKeyring, for Input.KeysToKeyring, makes every role that signs with a profile's
// long-term keys (profile = NAME) name the key NAME in the OS keyring instead
// (keyring = NAME); `brs import --keys-to-keyring` stores the keys there. A profile
// whose name cannot name a keyring key keeps profile = NAME, with a note.
func (t *translator) useKeyring() {
	for _, n := range t.cfg.order {
		bp := t.plans[n]
		if bp == nil || !bp.baseOnly || len(bp.usedBy) == 0 {
			continue
		}
		if keyring.CheckName(n) != nil {
			bp.notes = append(bp.notes, "its keys stay in the AWS files: a keyring key name is 1 to 64 letters, digits and _.@+-, and this profile's name is not")
			continue
		}
		bp.notes = append(bp.notes, fmt.Sprintf("brs import --keys-to-keyring copied its keys into the OS keyring as key %q; the roles name it with keyring = %q. The AWS files are left as they are: remove the keys from them once brs works", n, n))
		for _, pl := range t.plans {
			if pl == nil {
				continue
			}
			for _, r := range pl.roles {
				for i, a := range r.attrs {
					if a.name == "profile" && a.value == n && slices.Contains(bp.usedBy, r.name) {
						r.attrs[i] = attr{name: "keyring", value: n, comment: fmt.Sprintf("Signed with the long-term key %q of the OS keyring (brs keys list)", n)}
					}
				}
			}
		}
	}
}

// KeyringProfiles returns the profiles of res whose keys --keys-to-keyring moves: those
// that sign roles and whose names can name a keyring key.
func KeyringProfiles(res *Result) []string {
	return slices.DeleteFunc(slices.Clone(res.SigningProfiles), func(n string) bool { return keyring.CheckName(n) != nil })
}

// ProfileKeys returns the long-term key of profile name in the files of in, as the
// AWS SDK for Go reads them (the credentials file wins).
func ProfileKeys(in Input, name string) (keyring.Key, bool) {
	cfg := load(in.ConfigPath, in.Config, in.CredentialsPath, in.Credentials)
	p := cfg.profiles[name]
	if p == nil || !p.hasKeys() {
		return keyring.Key{}, false
	}
	return keyring.Key{AccessKeyID: p.sec.get("aws_access_key_id"), SecretAccessKey: p.sec.get("aws_secret_access_key")}, true
}
