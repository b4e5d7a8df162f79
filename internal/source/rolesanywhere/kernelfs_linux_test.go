package rolesanywhere_test

import (
	"testing"

	fake "github.com/brs-go/brs/internal/testutil/fakerolesanywhere"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestPEMFilesRefuseProcfs: /proc/self/environ as the certificate, key or chain is
// refused before a byte is read, so the plugin's environment never reaches an error
// or the endpoint.
func TestPEMFilesRefuseProcfs(t *testing.T) {
	w := newWorld(t, fake.Config{})
	for attr, code := range map[string]string{"certificate": "InvalidCertificate", "private_key": "InvalidKey", "certificate_chain": "InvalidCertificateChain"} {
		_, err := refresh(t, w.f.URL, with(w.attrs(), attr, "/proc/self/environ"))
		sourcetest.WantError(t, err, code, false, attr, "/proc/self/environ")
	}
}
