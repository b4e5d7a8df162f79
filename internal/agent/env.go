package agent

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// EnvFingerprint digests the variables of environ that decide which credentials a
// role yields: every AWS_* and BRS_* variable, and HOME (where ~/.aws and the SSO
// cache are), but not the agent's own BRS_AGENT* settings nor BRS_CONFIG (the config
// file is sent in the request). The agent serves only clients whose fingerprint is its
// own: its plugins run in its environment, and a client with other AWS keys or another
// AWS_PROFILE must not get credentials derived from the agent's.
func EnvFingerprint(environ []string) string {
	var keep []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "BRS_AGENT"), name == "BRS_CONFIG":
		case strings.HasPrefix(name, "AWS_"), strings.HasPrefix(name, "BRS_"), name == "HOME":
			keep = append(keep, kv)
		}
	}
	slices.Sort(keep)
	sum := sha256.Sum256([]byte(strings.Join(keep, "\x00")))
	return hex.EncodeToString(sum[:])
}
