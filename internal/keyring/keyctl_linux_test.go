package keyring

import (
	"testing"

	"golang.org/x/sys/unix"
)

// keyctlWorks reports whether the kernel lets this process use its user keyring. A
// container whose seccomp profile blocks keyctl(2) (Docker's default does) fails the
// test in CI, where the README says it runs, and says why.
func keyctlWorks(t *testing.T) bool {
	t.Helper()
	if _, err := unix.KeyctlGetKeyringID(unix.KEY_SPEC_USER_KEYRING, true); err != nil {
		t.Fatalf("keyctl(2) on the user keyring: %v: the kernel or the container's seccomp profile forbids it; run the tests with keyctl allowed (docker run --security-opt seccomp=unconfined, or on the host)", err)
	}
	return true
}
