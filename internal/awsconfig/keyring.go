package awsconfig

import (
	"fmt"
	"slices"
	"strings"

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
		bp.notes = append(bp.notes, fmt.Sprintf("brs import --keys-to-keyring copied its keys into the OS keyring as key %q; the roles name it with keyring = %q. Unless brs import --remove-moved-keys removed them, the keys are still in the AWS files: remove them once brs works", n, n))
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

// keyLines are the keys RemoveKeys removes: a profile's long-term key, and a session
// token, which is no use without it.
var keyLines = map[string]bool{"aws_access_key_id": true, "aws_secret_access_key": true, "aws_session_token": true}

// RemoveKeys returns the text of a credentials file without the aws_access_key_id,
// aws_secret_access_key and aws_session_token settings of the profiles names (every
// [NAME] section of each), read as the AWS SDK for Go reads the file: a setting's
// continuation lines go with it. Every other line, comments and line ends included,
// is kept byte for byte. It also returns the profiles it removed a setting from.
func RemoveKeys(text string, names []string) (string, []string) {
	lines := strings.SplitAfter(text, "\n")
	kept := make([]string, 0, len(lines))
	var removedFrom []string
	inTarget, dropping := false, false
	var current string
	// isKey reports whether s is a "key = value" setting of one of keyLines.
	isKey := func(s string) bool {
		k, _, ok := splitProperty(strings.TrimRight(trimValueComment(s), " \t"))
		return ok && keyLines[strings.ToLower(k)]
	}
	for _, line := range lines {
		bare := strings.TrimRight(line, "\r\n")
		trimmed := strings.TrimLeft(bare, " \t")
		h, isHeader := asHeader(bare)
		switch {
		case strings.TrimSpace(bare) == "" || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, ";"):
			// Kept; a comment does not end the value above it (nor does it for the SDK).
		case isHeader:
			kind, name := splitHeader(h)
			current = name
			inTarget, dropping = kind == "" && slices.Contains(names, name), false
		case inTarget && isKey(trimmed):
			// Indented too: the SDK takes an indented setting after a value for a
			// setting of its own.
			dropping = true
			if !slices.Contains(removedFrom, current) {
				removedFrom = append(removedFrom, current)
			}
			continue
		case bare[0] == ' ' || bare[0] == '\t':
			// A continuation or sub-property of the setting above.
			if dropping {
				continue
			}
		default:
			dropping = false
		}
		kept = append(kept, line)
	}
	return strings.Join(kept, ""), removedFrom
}
