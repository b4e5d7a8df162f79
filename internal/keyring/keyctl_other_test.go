//go:build !linux

package keyring

import "testing"

// keyctlWorks: keyctl is Linux's.
func keyctlWorks(t *testing.T) bool {
	t.Helper()
	t.Log("keyctl is a Linux kernel keyring; nothing to test on this system")
	return false
}
