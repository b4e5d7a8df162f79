package iot_test

import (
	"context"
	"errors"
	"github.com/brs-go/brs/internal/testutil/fifotest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// loadHost writes hcl to a file and loads it with the real brs-plugin-iot binary.
func loadHost(t *testing.T, hcl string) (*host.Host, error) {
	t.Helper()
	return sourcetest.LoadHost(t, "github.com/brs-go/brs/cmd/brs-plugin-iot", hcl)
}

// roleHCL is a role block for the device's provider.
func (d *device) roleHCL(name string) string {
	return `
role "` + name + `" {
  source = "iot"
  config {
    endpoint   = ` + strconv.Quote(d.f.endpoint()) + `
    role_alias = ` + strconv.Quote(testAlias) + `
    thing_name = ` + strconv.Quote(testThing) + `
    cert       = ` + strconv.Quote(d.cert) + `
    key        = ` + strconv.Quote(d.key) + `
    ca         = ` + strconv.Quote(d.caFile) + `
    timeout    = "5s"
  }
}
`
}

// TestThroughHost runs the source as the host does, in the brs-plugin-iot subprocess:
// credentials, a rotated certificate picked up at the next refresh, and a certificate
// the provider refuses, reported with its path and advice while the valid credentials
// are kept.
func TestThroughHost(t *testing.T) {
	d := newDevice(t)
	h, err := loadHost(t, d.roleHCL("sensor"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if w := h.Warnings(); len(w) > 0 {
		t.Errorf("warnings: %v", w)
	}
	ctx := context.Background()
	creds, err := h.Credentials(ctx, "sensor")
	if want, secret, _ := iotCredentials(1); err != nil || creds.AccessKeyID != want || creds.SecretAccessKey != secret {
		t.Fatalf("Credentials = %v, %v; want the provider's %s", creds, err, want)
	}

	certPEM, keyPEM := d.ca.issue(t, leaf{cn: "device-1-rotated"})
	writeFile(t, d.dir, "device.pem.crt", certPEM)
	writeFile(t, d.dir, "device.pem.key", keyPEM)
	if err := h.Refresh(ctx, "sensor"); err != nil {
		t.Fatalf("Refresh after rotating the certificate: %v", err)
	}
	if got := d.f.requests(); len(got) != 2 || got[1].clientCN != "device-1-rotated" || got[1].thingName != testThing || got[1].path != credentialsPath {
		t.Errorf("the provider saw %+v, want the rotated certificate at %s with thing %s", got, credentialsPath, testThing)
	}

	rogue := newCA(t, "another CA")
	certPEM, keyPEM = rogue.issue(t, leaf{cn: "rogue"})
	writeFile(t, d.dir, "device.pem.crt", certPEM)
	writeFile(t, d.dir, "device.pem.key", keyPEM)
	err = h.Refresh(ctx, "sensor")
	for _, want := range []string{`role "sensor" (source "iot")`, "CertificateRejected", d.cert, "registered with AWS IoT"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Refresh with a refused certificate: %v; want it to say %q", err, want)
		}
	}
	if creds, err = h.Credentials(ctx, "sensor"); err != nil || creds.AccessKeyID != "ASIAFAKEIOTPROV00002" {
		t.Errorf("Credentials after a failed refresh = %v, %v; want the valid ASIAFAKEIOTPROV00002", creds, err)
	}
}

// TestThroughHostBadKey checks what a caller sees when the key does not belong to the
// certificate: the role, the source, both paths, and nothing of the key.
func TestThroughHostBadKey(t *testing.T) {
	d := newDevice(t)
	_, otherKey := d.ca.issue(t, leaf{cn: "other"})
	writeFile(t, d.dir, "device.pem.key", otherKey)
	h, err := loadHost(t, d.roleHCL("sensor"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, err = h.Credentials(context.Background(), "sensor")
	for _, want := range []string{`brs: role "sensor" (source "iot"): no valid credentials: KeyMismatch:`, d.key, d.cert} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Credentials: %v; want it to say %q", err, want)
		}
	}
	if err != nil && quotes(err.Error(), d.key) {
		t.Errorf("error %q quotes the key", err)
	}
}

// TestThroughHostInvalidConfig checks that host.Load reports a relative path and a
// data endpoint at their attributes, without reading any file.
func TestThroughHostInvalidConfig(t *testing.T) {
	_, err := loadHost(t, `
role "sensor" {
  source = "iot"
  config {
    endpoint   = "a1b2c3d4e5f6g7-ats.iot.us-east-1.amazonaws.com"
    role_alias = "alias"
    cert       = "device.pem.crt"
    key        = "/nonexistent/device.pem.key"
  }
}
`)
	var le *host.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("Load = %v, want a *host.LoadError", err)
	}
	for _, want := range []string{"brs.hcl:5,", "Data endpoint, not credentials endpoint", "brs.hcl:7,", "Relative path"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "nonexistent") {
		t.Errorf("Load read the key file: %v", err)
	}
}

// TestThroughHostHostileFiles runs the brs-plugin-iot subprocess with a key that is a
// symlink to /dev/zero and a certificate that is a named pipe: each refresh fails at
// once with an error that names the file and what it is (before, the plugin read
// /dev/zero until its cap and blocked forever on the pipe), and the same process
// serves credentials once the files are real again.
func TestThroughHostHostileFiles(t *testing.T) {
	d := newDevice(t)
	h, err := loadHost(t, d.roleHCL("sensor"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	ctx := context.Background()
	keyPEM, certPEM := readFile(t, d.key), readFile(t, d.cert)
	replace := func(path string, create func() error) {
		t.Helper()
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := create(); err != nil {
			t.Fatal(err)
		}
	}
	replace(d.key, func() error { return os.Symlink("/dev/zero", d.key) })
	_, err = h.Credentials(ctx, "sensor")
	if err == nil || !strings.Contains(err.Error(), "InvalidKey: reading key "+d.key+": it is a character device, not a regular file") {
		t.Fatalf("key -> /dev/zero: %v", err)
	}
	replace(d.key, func() error { return os.WriteFile(d.key, keyPEM, 0o600) })
	replace(d.cert, func() error { return fifotest.Mkfifo(d.cert, 0o600) })
	err = h.Refresh(ctx, "sensor")
	if err == nil || !strings.Contains(err.Error(), "InvalidCertificate: reading cert "+d.cert+": it is a named pipe, not a regular file") {
		t.Fatalf("cert a named pipe: %v", err)
	}
	replace(d.cert, func() error { return os.WriteFile(d.cert, certPEM, 0o600) })
	if err := h.Refresh(ctx, "sensor"); err != nil {
		t.Fatalf("with the real files back: %v", err)
	}
}
