package iot

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/shared"
)

// maxPEMFile bounds each file read; a certificate chain or CA bundle is a few KB, the
// system-wide bundle about 250 KB.
const maxPEMFile = 4 << 20

// readPEMFile reads one of the PEM files; attr names the attribute for messages.
func readPEMFile(attr, path string) ([]byte, *shared.Error) {
	b, err := boundedfile.ReadFile(path, maxPEMFile)
	if errors.Is(err, boundedfile.ErrTooLarge) {
		return nil, shared.Permanent(fileCode(attr), "%s %s is larger than %s; check that it is a PEM file", attr, path, boundedfile.Size(maxPEMFile))
	}
	if err != nil {
		return nil, fileError(attr, path, err)
	}
	return b, nil
}

// fileError describes a file that cannot be read.
func fileError(attr, path string, err error) *shared.Error {
	reason := err.Error()
	var fe *boundedfile.Error
	if errors.As(err, &fe) {
		reason = fe.Reason // the path is in the message already
	}
	return shared.Permanent(fileCode(attr), "reading %s %s: %v; check the path and the file's permissions", attr, path, reason)
}

// fileCode is the error code of a problem with attr's file.
func fileCode(attr string) string {
	switch attr {
	case "key":
		return "InvalidKey"
	case "ca":
		return "InvalidCA"
	}
	return "InvalidCertificate"
}

// loadClientCert reads the device certificate and its key and checks that they
// belong together and that the certificate is valid now. Messages name the files,
// never what they hold.
func loadClientCert(certPath, keyPath string, now time.Time) (tls.Certificate, *shared.Error) {
	certPEM, se := readPEMFile("cert", certPath)
	if se != nil {
		return tls.Certificate{}, se
	}
	keyPEM, se := readPEMFile("key", keyPath)
	if se != nil {
		return tls.Certificate{}, se
	}

	var leaf *x509.Certificate
	var chain [][]byte
	rest, sawKey := certPEM, false
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		switch {
		case b.Type == "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return tls.Certificate{}, shared.Permanent("InvalidCertificate", "cert %s: certificate %d cannot be parsed: %v", certPath, len(chain)+1, err)
			}
			if leaf == nil {
				leaf = c
			}
			chain = append(chain, b.Bytes)
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			sawKey = true
		}
	}
	switch {
	case leaf == nil && sawKey:
		return tls.Certificate{}, shared.Permanent("InvalidCertificate", "cert %s holds a private key and no certificate; cert and key may be swapped", certPath)
	case leaf == nil:
		return tls.Certificate{}, shared.Permanent("InvalidCertificate", "cert %s holds no PEM certificate block (BEGIN CERTIFICATE)", certPath)
	}

	key, se := parseKey(keyPEM, keyPath)
	if se != nil {
		return tls.Certificate{}, se
	}
	// X509KeyPair compares the public keys; its errors do not quote the key.
	cert, err := tls.X509KeyPair(pemCerts(chain), pemBlock(key))
	if err != nil {
		return tls.Certificate{}, shared.Permanent("KeyMismatch", "the private key in key %s does not belong to the certificate in cert %s; "+
			"check that both files come from the same certificate (after a rotation, both must be replaced)", keyPath, certPath)
	}
	switch {
	case now.After(leaf.NotAfter):
		return tls.Certificate{}, shared.Permanent("CertificateExpired", "the certificate in cert %s expired at %s; rotate it (and key) and register the new one with AWS IoT",
			certPath, leaf.NotAfter.UTC().Format(time.RFC3339))
	case now.Before(leaf.NotBefore):
		return tls.Certificate{}, shared.Permanent("CertificateNotYetValid", "the certificate in cert %s is valid only from %s; check this machine's clock",
			certPath, leaf.NotBefore.UTC().Format(time.RFC3339))
	}
	return cert, nil
}

// loadCA reads the CA bundle that verifies the endpoint; nil means the system roots.
func loadCA(path string) (*x509.CertPool, *shared.Error) {
	if path == "" {
		return nil, nil
	}
	b, se := readPEMFile("ca", path)
	if se != nil {
		return nil, se
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, shared.Permanent("InvalidCA", "ca %s holds no PEM certificate; for AWS IoT use Amazon Root CA 1 (https://www.amazontrust.com/repository/AmazonRootCA1.pem)", path)
	}
	return pool, nil
}

// pemCerts encodes DER certificates as PEM, in order.
func pemCerts(ders [][]byte) []byte {
	var out []byte
	for _, d := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
	}
	return out
}
