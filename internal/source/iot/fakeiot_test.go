package iot_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// fakeIoT is a fake of the AWS IoT Core credentials provider: a TLS server on
// 127.0.0.1 that requires a client certificate signed by its CA
// (tls.RequireAndVerifyClientCert), serves GET /role-aliases/ALIAS/credentials for one
// role alias, checks the x-amzn-iot-thingname header, and answers in the provider's
// JSON format. AWS IoT itself cannot run here.
type fakeIoT struct {
	srv *httptest.Server

	mu sync.Mutex
	// roleAlias is the only role alias that exists.
	roleAlias string
	// thingName is the thing name the certificate's policy requires; "" for none.
	thingName string
	// fail holds statuses to answer, one per request, before serving credentials.
	fail []int
	// body, if set, is the answer to every request after fail, with status 200.
	body string
	// seen records each request that passed the TLS handshake.
	seen []seenRequest
	// served counts the credentials handed out.
	served int
}

// seenRequest is what the fake saw of one request.
type seenRequest struct {
	path      string
	thingName string // "" if the header was absent
	clientCN  string // the common name of the client certificate
}

// startFakeIoT starts a provider whose server certificate and client CA is ca.
func startFakeIoT(t *testing.T, ca *testCA, roleAlias, thingName string) *fakeIoT {
	t.Helper()
	f := &fakeIoT{roleAlias: roleAlias, thingName: thingName}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	clients := x509.NewCertPool()
	clients.AddCert(ca.cert)
	f.srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{ca.serverCert(t)},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clients,
		MinVersion:   tls.VersionTLS12,
	}
	f.srv.Config.ErrorLog = discardLog() // handshake failures are expected in some tests
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

// endpoint is the provider's endpoint attribute value.
func (f *fakeIoT) endpoint() string { return f.srv.URL }

func (f *fakeIoT) requireThing(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.thingName = name
}

func (f *fakeIoT) failWith(statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = append(f.fail, statuses...)
}

func (f *fakeIoT) answer(body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.body = body
}

func (f *fakeIoT) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.seen...)
}

func (f *fakeIoT) servedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.served
}

// iotCredentials are the n-th credentials the provider hands out.
func iotCredentials(n int) (akid, secret, token string) {
	return fmt.Sprintf("ASIAFAKEIOTPROV%05d", n), fmt.Sprintf("fake-iot-secret-%05d", n), fmt.Sprintf("fake-iot-session-token-%05d", n)
}

func (f *fakeIoT) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := seenRequest{path: r.URL.Path, thingName: r.Header.Get("x-amzn-iot-thingname")}
	if len(r.TLS.PeerCertificates) > 0 {
		seen.clientCN = r.TLS.PeerCertificates[0].Subject.CommonName
	}
	f.seen = append(f.seen, seen)
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method != http.MethodGet:
		writeMessage(w, http.StatusMethodNotAllowed, "Method not allowed")
	case r.URL.Path != "/role-aliases/"+f.roleAlias+"/credentials":
		writeMessage(w, http.StatusNotFound, "Role alias does not exist")
	case f.thingName != "" && seen.thingName != f.thingName:
		writeMessage(w, http.StatusForbidden, "Access Denied")
	case len(f.fail) > 0:
		status := f.fail[0]
		f.fail = f.fail[1:]
		writeMessage(w, status, "the fake provider was told to fail")
	case f.body != "":
		_, _ = w.Write([]byte(f.body))
	default:
		f.served++
		akid, secret, token := iotCredentials(f.served)
		_ = json.NewEncoder(w).Encode(map[string]any{"credentials": map[string]string{
			"accessKeyId":     akid,
			"secretAccessKey": secret,
			"sessionToken":    token,
			"expiration":      time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		}})
	}
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}
