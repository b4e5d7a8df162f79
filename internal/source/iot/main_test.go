package iot_test

import (
	"context"
	"io"
	"log"
	"os"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }

// device is a provider and the files of a device it knows.
type device struct {
	f                 *fakeIoT
	ca                *testCA
	dir               string
	cert, key, caFile string
}

const (
	testAlias = "brs-test-role-alias"
	testThing = "brs-test-thing"
)

// newDevice starts a provider that requires testThing and writes a device certificate
// signed by its CA.
func newDevice(t *testing.T) *device {
	t.Helper()
	ca := newCA(t, "fake AWS IoT CA")
	d := &device{ca: ca, dir: t.TempDir()}
	d.f = startFakeIoT(t, ca, testAlias, testThing)
	certPEM, keyPEM := ca.issue(t, leaf{cn: "device-1"})
	d.cert = writeFile(t, d.dir, "device.pem.crt", certPEM)
	d.key = writeFile(t, d.dir, "device.pem.key", keyPEM)
	d.caFile = writeFile(t, d.dir, "AmazonRootCA1.pem", ca.pem)
	return d
}

// attrs is the config of a role at the device's provider.
func (d *device) attrs() map[string]string {
	return map[string]string{
		"endpoint":   d.f.endpoint(),
		"role_alias": testAlias,
		"thing_name": testThing,
		"cert":       d.cert,
		"key":        d.key,
		"ca":         d.caFile,
	}
}

// with returns attrs with changes; an empty value removes the attribute.
func with(attrs map[string]string, changes ...string) map[string]string {
	out := make(map[string]string, len(attrs))
	for k, v := range attrs {
		out[k] = v
	}
	for i := 0; i+1 < len(changes); i += 2 {
		if changes[i+1] == "" {
			delete(out, changes[i])
		} else {
			out[changes[i]] = changes[i+1]
		}
	}
	return out
}

// refresh runs one refresh of a role with the given config attributes.
func refresh(t testing.TB, r shared.Refresher, attrs map[string]string) (shared.Credentials, error) {
	t.Helper()
	return sourcetest.Refresh(context.Background(), r, shared.RefreshRequest{Role: "device", Config: sourcetest.ConfigJSON(t, attrs)})
}
