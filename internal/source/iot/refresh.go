package iot

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"time"

	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

const (
	// maxBody bounds the answer read; a credentials document is about 2 KB.
	maxBody = 64 << 10
	// thingNameHeader carries thing_name, as the credentials provider expects.
	thingNameHeader = "x-amzn-iot-thingname"
	// userAgent names brs to the endpoint.
	userAgent = "brs-plugin-iot"
)

// Refresh reads the certificate, key and CA files and asks the credentials provider
// for the role alias' credentials. Errors are *shared.Error: permanent for unusable
// files, a refused certificate and 4xx answers, retryable for 5xx, throttling and
// network failures.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, shared.InvalidConfig("iot", ds)
	}
	cert, se := loadClientCert(s.Cert, s.Key, time.Now())
	if se != nil {
		return shared.Credentials{}, se
	}
	roots, se := loadCA(s.CA)
	if se != nil {
		return shared.Credentials{}, se
	}
	return s.fetch(ctx, s.newClient(cert, roots))
}

// fetch sends one request and converts the answer.
func (s settings) fetch(ctx context.Context, client *httpsource.Client) (shared.Credentials, error) {
	defer client.CloseIdleConnections()
	hreq := &httpsource.Request{URL: s.url.String(), Header: http.Header{"Accept": {"application/json"}}}
	if s.ThingName != "" {
		hreq.Header.Set(thingNameHeader, s.ThingName)
	}
	resp, err := client.Do(ctx, hreq)
	if err != nil {
		return shared.Credentials{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return shared.Credentials{}, s.statusError(resp)
	}
	return parseCredentials(resp)
}

// newClient returns an HTTP client for one refresh: it authenticates with cert,
// trusts roots (the system's if nil), goes through the environment's proxy if one is
// set, and follows no redirect.
func (s settings) newClient(cert tls.Certificate, roots *x509.CertPool) *httpsource.Client {
	rootsName := ""
	if s.CA != "" {
		rootsName = "ca " + s.CA
	}
	return httpsource.New(httpsource.Options{
		Timeout:      s.timeout,
		MaxBody:      maxBody,
		RootCAs:      roots,
		RootsName:    rootsName,
		Certificates: []tls.Certificate{cert},
		// The next refresh may present another certificate.
		DisableKeepAlives: true,
		UserAgent:         userAgent,
		Advice:            s.advice(),
	})
}
