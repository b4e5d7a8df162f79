package shared

import (
	"cmp"
	"slices"
	"strings"
)

// Redact returns msg with every secret in secrets replaced by "[redacted]", for a
// source to clean an error message or log line that may quote what it sent or got
// (a token, a key, a password). Empty secrets and those shorter than minLen, which
// could match innocent text, are skipped. Longer secrets are replaced first, so a
// secret that holds a shorter one is hidden whole.
func Redact(msg string, secrets []string, minLen int) string {
	sorted := slices.SortedFunc(slices.Values(secrets), func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for _, s := range sorted {
		if s != "" && len(s) >= minLen {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return msg
}
