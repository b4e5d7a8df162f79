package iot_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/iot"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

const credentialsPath = "/role-aliases/" + testAlias + "/credentials"

func TestRefresh(t *testing.T) {
	d := newDevice(t)
	for via, r := range map[string]shared.Refresher{"in-process": iot.New(), "over gRPC": plugintest.Connect(t, iot.New())} {
		t.Run(via, func(t *testing.T) {
			before := time.Now()
			creds, err := refresh(t, r, d.attrs())
			if err != nil {
				t.Fatalf("Refresh: %v", err)
			}
			akid, secret, token := iotCredentials(d.f.servedCount())
			if creds.AccessKeyID != akid || creds.SecretAccessKey != secret || creds.SessionToken != token {
				t.Errorf("got %v, want the provider's %s with its secret and token", creds, akid)
			}
			if !creds.Expires.After(before.Add(59*time.Minute)) || creds.Expires.Location() != time.UTC {
				t.Errorf("Expires = %v, want an hour from now in UTC", creds.Expires)
			}
		})
	}
	want := seenRequest{path: credentialsPath, thingName: testThing, clientCN: "device-1"}
	if got := d.f.requests(); !slices.Equal(got, []seenRequest{want, want}) {
		t.Errorf("the provider saw %+v, want twice %+v", got, want)
	}
}

// TestEndpointForms checks that a bare host:port reaches the same URL as https://.
func TestEndpointForms(t *testing.T) {
	d := newDevice(t)
	hostPort := d.f.endpoint()[len("https://"):]
	for _, ep := range []string{hostPort, d.f.endpoint() + "/"} {
		if _, err := refresh(t, iot.New(), with(d.attrs(), "endpoint", ep)); err != nil {
			t.Errorf("endpoint %q: %v", ep, err)
		}
	}
	for _, r := range d.f.requests() {
		if r.path != credentialsPath {
			t.Errorf("the provider saw path %q, want %q", r.path, credentialsPath)
		}
	}
}

// TestThingNameOptional checks that without thing_name no header is sent, which
// works when the certificate's policy does not use the thing name.
func TestThingNameOptional(t *testing.T) {
	d := newDevice(t)
	d.f.requireThing("") // the policy needs no thing name
	if _, err := refresh(t, iot.New(), with(d.attrs(), "thing_name", "")); err != nil {
		t.Fatalf("Refresh without thing_name: %v", err)
	}
	if got := d.f.requests(); len(got) != 1 || got[0].thingName != "" {
		t.Errorf("the provider saw %+v, want one request without %s", got, "x-amzn-iot-thingname")
	}
}

func TestRefusals(t *testing.T) {
	d := newDevice(t)
	r := iot.New()
	_, err := refresh(t, r, with(d.attrs(), "thing_name", "another-thing"))
	sourcetest.WantError(t, err, "AccessDenied", false, "HTTP 403", `thing_name "another-thing" is sent`, "iot:AssumeRoleWithCertificate")
	_, err = refresh(t, r, with(d.attrs(), "thing_name", ""))
	sourcetest.WantError(t, err, "AccessDenied", false, "HTTP 403", "thing_name is not set", "credentials-iot:ThingName")
	_, err = refresh(t, r, with(d.attrs(), "role_alias", "no-such-alias"))
	sourcetest.WantError(t, err, "RoleAliasNotFound", false, "HTTP 404", `no role alias "no-such-alias"`)
	for status, code := range map[int]string{400: "BadRequest", 401: "Unauthorized", 405: "HTTP405"} {
		d.f.failWith(status)
		_, err = refresh(t, r, d.attrs())
		sourcetest.WantError(t, err, code, false, fmt.Sprintf("HTTP %d", status))
	}
}

// TestServerErrorThenRecovery checks that 5xx and 429 are retryable and that the next
// refresh succeeds once the provider recovers.
func TestServerErrorThenRecovery(t *testing.T) {
	d := newDevice(t)
	d.f.failWith(http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusTooManyRequests)
	r := iot.New()
	_, err := refresh(t, r, d.attrs())
	sourcetest.WantError(t, err, "ServerError", true, "HTTP 500", "retrying later")
	_, err = refresh(t, r, d.attrs())
	sourcetest.WantError(t, err, "ServerError", true, "HTTP 503")
	_, err = refresh(t, r, d.attrs())
	sourcetest.WantError(t, err, "Throttling", true, "HTTP 429")
	creds, err := refresh(t, r, d.attrs())
	if err != nil {
		t.Fatalf("Refresh after the provider recovered: %v", err)
	}
	if want, _, _ := iotCredentials(1); creds.AccessKeyID != want {
		t.Errorf("got %s, want %s", creds.AccessKeyID, want)
	}
}

// TestRotatedCertificate checks that the files are read at every refresh: a device
// that rotates its certificate presents the new one at the next refresh.
func TestRotatedCertificate(t *testing.T) {
	d := newDevice(t)
	r := iot.New()
	if _, err := refresh(t, r, d.attrs()); err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM := d.ca.issue(t, leaf{cn: "device-1-rotated", rsa: true})
	writeFile(t, d.dir, "device.pem.crt", certPEM)
	writeFile(t, d.dir, "device.pem.key", keyPEM)
	if _, err := refresh(t, r, d.attrs()); err != nil {
		t.Fatalf("Refresh after rotating the certificate: %v", err)
	}
	got := d.f.requests()
	if len(got) != 2 || got[0].clientCN != "device-1" || got[1].clientCN != "device-1-rotated" {
		t.Errorf("the provider saw %+v, want device-1 then device-1-rotated", got)
	}
}

// TestRejectedCertificate checks that a certificate from a CA that the provider does
// not know is refused in the TLS handshake, with a permanent error and advice.
func TestRejectedCertificate(t *testing.T) {
	d := newDevice(t)
	rogue := newCA(t, "another CA")
	certPEM, keyPEM := rogue.issue(t, leaf{cn: "rogue-device"})
	attrs := with(d.attrs(),
		"cert", writeFile(t, d.dir, "rogue.pem.crt", certPEM),
		"key", writeFile(t, d.dir, "rogue.pem.key", keyPEM))
	_, err := refresh(t, iot.New(), attrs)
	sourcetest.WantError(t, err, "CertificateRejected", false, "refused the client certificate", attrs["cert"], "registered with AWS IoT", "ACTIVE")
	if got := d.f.requests(); len(got) != 0 {
		t.Errorf("the provider served %+v to a refused certificate", got)
	}
}
