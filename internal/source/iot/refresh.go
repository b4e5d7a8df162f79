package iot

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"time"

	"github.com/brs-go/brs/internal/source/internal/respond"
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
	return s.fetch(ctx, newClient(cert, roots))
}

// fetch sends one request and converts the answer.
func (s settings) fetch(ctx context.Context, client *http.Client) (shared.Credentials, error) {
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	where := s.url.String()

	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, where, nil)
	if err != nil {
		return shared.Credentials{}, shared.Permanent("InvalidConfig", "GET %s: %v", where, err)
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", userAgent)
	if s.ThingName != "" {
		hreq.Header.Set(thingNameHeader, s.ThingName)
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return shared.Credentials{}, s.requestError(ctx, err, where)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return shared.Credentials{}, s.requestError(ctx, err, where)
	}
	if len(body) > maxBody {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "GET %s: the answer (HTTP %d) is larger than %d bytes, which no credentials document is; check endpoint",
			where, resp.StatusCode, maxBody)
	}
	if resp.StatusCode != http.StatusOK {
		return shared.Credentials{}, s.statusError(resp.StatusCode, where)
	}
	return parseCredentials(body, where)
}

// newClient returns an HTTP client for one refresh: it authenticates with cert,
// trusts roots (the system's if nil), goes through the environment's proxy if one is
// set, and follows no redirect.
func newClient(cert tls.Certificate, roots *x509.CertPool) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
		RootCAs:      roots,
	}
	t.DisableKeepAlives = true // the next refresh may present another certificate
	return &http.Client{
		Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
