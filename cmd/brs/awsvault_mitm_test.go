//go:build linux

package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// awsSTSHostNames are the AWS STS host names the front answers for: the global one and
// us-east-1's, the region the benchmark's profiles use.
var awsSTSHostNames = []string{"sts.amazonaws.com", "sts.us-east-1.amazonaws.com"}

// awsSTSFront is a loopback HTTPS forward proxy (HTTPS_PROXY) that answers CONNECTs to
// AWS STS's host names itself, with a certificate of its own test CA, and forwards the
// decrypted requests to backend with their Host header unchanged (SigV4 signs it, and
// MinIO checks the signature against it). It lets a program that cannot be given an
// STS endpoint (aws-vault builds its aws.Config by hand, so neither
// AWS_ENDPOINT_URL_STS nor endpoint_url reaches its STS client) talk to MinIO as it
// talks to AWS, TLS handshake included. CONNECTs to any other host are refused.
type awsSTSFront struct {
	// ProxyURL is the value for HTTPS_PROXY.
	ProxyURL string
	// CAFile is a PEM file of the CA that signed the front's certificate, the value
	// for SSL_CERT_FILE (read by Go's crypto/x509 on Linux in place of the system's
	// roots).
	CAFile string
}

// startAWSSTSFront starts the front before backend (an http:// URL such as an
// stsproxy's), stopped when the benchmark ends.
func startAWSSTSFront(b testing.TB, backend string) *awsSTSFront {
	b.Helper()
	target, err := url.Parse(backend)
	if err != nil {
		b.Fatal(err)
	}
	caPEM, leaf := awsSTSFrontPKI(b)
	caFile := filepath.Join(b.TempDir(), "sts-front-ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		b.Fatal(err)
	}
	tlsConf := &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	tunnels := &tunnelListener{conns: make(chan net.Conn), done: make(chan struct{}), addr: ln.Addr()}
	rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = pr.In.Host // the signed host, not the backend's
	}}
	// A client that refuses the certificate (as the test's does) is not news.
	srv := &http.Server{Handler: rp, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = srv.Serve(tunnels) }()
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				if tc := acceptSTSConnect(c, tlsConf); tc != nil {
					select {
					case tunnels.conns <- tc:
					case <-tunnels.done:
						c.Close()
					}
				}
			}()
		}
	}()
	b.Cleanup(func() {
		ln.Close()
		srv.Close()
		wg.Wait()
	})
	return &awsSTSFront{ProxyURL: "http://" + ln.Addr().String(), CAFile: caFile}
}

// acceptSTSConnect reads one CONNECT request from c (8 KiB and 10 s at most); for one of
// awsSTSHostNames on port 443 it answers 200 and returns the TLS server end of the
// tunnel; anything else gets 403 and nil, and c is closed.
func acceptSTSConnect(c net.Conn, conf *tls.Config) net.Conn {
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(io.LimitReader(c, 8<<10))
	req, err := http.ReadRequest(br)
	if err != nil {
		c.Close()
		return nil
	}
	host, port, _ := net.SplitHostPort(req.Host)
	known := false
	for _, n := range awsSTSHostNames {
		known = known || host == n
	}
	// Nothing may follow the CONNECT before the answer: the client waits for it.
	if req.Method != http.MethodConnect || !known || port != "443" || br.Buffered() != 0 {
		_, _ = io.WriteString(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
		c.Close()
		return nil
	}
	if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		c.Close()
		return nil
	}
	_ = c.SetDeadline(time.Time{})
	return tls.Server(c, conf)
}

// tunnelListener is a net.Listener of connections handed to it on a channel.
type tunnelListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
	addr  net.Addr
}

func (l *tunnelListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *tunnelListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *tunnelListener) Addr() net.Addr { return l.addr }

// awsSTSFrontPKI returns a fresh CA's certificate (PEM) and a server certificate it
// signed for awsSTSHostNames.
func awsSTSFrontPKI(b testing.TB) ([]byte, tls.Certificate) {
	b.Helper()
	ca, caKey, caPEM, _ := issueCert(b, &x509.Certificate{Subject: pkix.Name{CommonName: "brs benchmark STS front CA"},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}, nil, nil)
	cert, key, _, _ := issueCert(b, &x509.Certificate{Subject: pkix.Name{CommonName: awsSTSHostNames[0]}, DNSNames: awsSTSHostNames,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, ca, caKey)
	return caPEM, tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key}
}

// TestAWSSTSFront: the front tunnels to AWS STS's names only, serves them with its
// CA's certificate, and hands the backend the Host the client signed.
func TestAWSSTSFront(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Host)
	}))
	defer backend.Close()
	front := startAWSSTSFront(t, backend.URL)
	pemData, err := os.ReadFile(front.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := url.Parse(front.ProxyURL)
	if err != nil {
		t.Fatal(err)
	}
	client := func(roots *x509.CertPool) *http.Client {
		return &http.Client{Transport: &http.Transport{
			Proxy:           http.ProxyURL(proxy),
			TLSClientConfig: &tls.Config{RootCAs: roots},
		}}
	}
	withCA := x509.NewCertPool()
	withCA.AppendCertsFromPEM(pemData)
	for _, host := range awsSTSHostNames {
		resp, err := client(withCA).Get("https://" + host + "/")
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != host {
			t.Errorf("%s: the backend saw Host %q", host, body)
		}
	}
	// Refused at the CONNECT, not only by the certificate: a client that checks no
	// certificate gets no tunnel either.
	insecure := &http.Client{Transport: &http.Transport{
		Proxy:           http.ProxyURL(proxy),
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}}
	if resp, err := insecure.Get("https://example.com/"); err == nil {
		resp.Body.Close()
		t.Error("a CONNECT to example.com was tunnelled")
	}
	if _, err := client(x509.NewCertPool()).Get("https://" + awsSTSHostNames[1] + "/"); err == nil {
		t.Error("the front's certificate verified without its CA")
	}
}
