package iot_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/iot"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestUntrustedServer checks that a server whose certificate the ca bundle (or the
// system's roots) does not vouch for is refused before any request is sent.
func TestUntrustedServer(t *testing.T) {
	d := newDevice(t)
	other := newCA(t, "not the server's CA")
	otherFile := writeFile(t, d.dir, "other-ca.pem", other.pem)
	_, err := refresh(t, iot.New(), with(d.attrs(), "ca", otherFile))
	sourcetest.WantError(t, err, "ServerCertificateUntrusted", false, "not signed by a CA in ca "+otherFile, "Amazon Root CA 1")
	_, err = refresh(t, iot.New(), with(d.attrs(), "ca", ""))
	sourcetest.WantError(t, err, "ServerCertificateUntrusted", false, "the system's roots")
	if got := d.f.requests(); len(got) != 0 {
		t.Errorf("the provider got %+v, want no request", got)
	}
}

func TestServerNameMismatch(t *testing.T) {
	d := newDevice(t)
	// The server's certificate is for 127.0.0.1 only.
	ep := strings.Replace(d.f.endpoint(), "127.0.0.1", "localhost", 1)
	_, err := refresh(t, iot.New(), with(d.attrs(), "endpoint", ep))
	sourcetest.WantError(t, err, "ServerCertificateMismatch", false, "not valid for this host name", "check endpoint")
}

func TestNotTLS(t *testing.T) {
	d := newDevice(t)
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	_, err := refresh(t, iot.New(), with(d.attrs(), "endpoint", strings.TrimPrefix(plain.URL, "http://")))
	sourcetest.WantError(t, err, "NotTLS", false, "does not speak TLS")
}

func TestNetworkError(t *testing.T) {
	d := newDevice(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = refresh(t, iot.New(), with(d.attrs(), "endpoint", addr))
	sourcetest.WantError(t, err, "NetworkError", true, "https://"+addr+"/role-aliases/"+testAlias+"/credentials", "connection refused")
}

func TestTimeout(t *testing.T) {
	d := newDevice(t)
	release := make(chan struct{})
	// The server never answers before the test ends: returning when the request's
	// context ends would write an empty 200 that, on a loaded machine, can race the
	// client's own timeout.
	slow := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		<-release
	}))
	slow.TLS = d.f.srv.TLS.Clone()
	slow.StartTLS()
	defer slow.Close()
	defer close(release)
	_, err := refresh(t, iot.New(), with(d.attrs(), "endpoint", slow.URL, "timeout", "200ms"))
	sourcetest.WantError(t, err, "Timeout", true, "no answer within 200ms")
}

func TestRedirect(t *testing.T) {
	d := newDevice(t)
	redirect := httptest.NewUnstartedServer(http.RedirectHandler(d.f.endpoint()+"/role-aliases/"+testAlias+"/credentials", http.StatusFound))
	redirect.TLS = d.f.srv.TLS.Clone()
	redirect.StartTLS()
	defer redirect.Close()
	_, err := refresh(t, iot.New(), with(d.attrs(), "endpoint", redirect.URL))
	sourcetest.WantError(t, err, "Redirect", false, "HTTP 302", "not followed")
	if got := d.f.requests(); len(got) != 0 {
		t.Errorf("the redirect was followed: %+v", got)
	}
}

// TestMalformedAnswers checks that a 200 answer that is not a valid credentials
// document gets an error that says what is wrong without quoting it.
func TestMalformedAnswers(t *testing.T) {
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	const secret = "leaked-iot-secret-key-value"
	creds := func(fields string) string { return `{"credentials": {` + fields + `}}` }
	cases := []struct {
		name, body, code string
		want             []string
	}{
		{"not JSON", "secretAccessKey=" + secret, "InvalidResponse", []string{"not a JSON credentials document", "invalid JSON near byte"}},
		{"the ECS format", `{"AccessKeyId": "ASIAX", "SecretAccessKey": "` + secret + `"}`, "InvalidResponse", []string{`no "credentials" object`}},
		{"credentials not an object", `{"credentials": "` + secret + `"}`, "InvalidResponse", []string{"field credentials is a JSON string"}},
		{"empty", creds(``), "InvalidResponse", []string{"lack accessKeyId, secretAccessKey, sessionToken, expiration"}},
		{"no token", creds(`"accessKeyId": "ASIAX", "secretAccessKey": "` + secret + `", "expiration": "` + exp + `"`), "InvalidResponse", []string{"lack sessionToken"}},
		{"bad expiration", creds(`"accessKeyId": "ASIAX", "secretAccessKey": "` + secret + `", "sessionToken": "t", "expiration": "soon"`), "InvalidResponse", []string{"not an RFC 3339 time"}},
		{"expired", creds(`"accessKeyId": "ASIAX", "secretAccessKey": "` + secret + `", "sessionToken": "t", "expiration": "` + past + `"`), "ExpiredCredentials", []string{"expired at " + past, "clock"}},
		{"too large", creds(`"accessKeyId": "` + strings.Repeat("A", 64<<10) + `"`), "InvalidResponse", []string{"larger than 65536 bytes"}},
	}
	d := newDevice(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d.f.answer(c.body)
			_, err := refresh(t, iot.New(), d.attrs())
			se := sourcetest.WantError(t, err, c.code, true, c.want...)
			if strings.Contains(se.Message, secret) || strings.Contains(se.Message, "ASIAX") {
				t.Errorf("error %q quotes the answer", se.Message)
			}
		})
	}
}
