package iot

import (
	"crypto/x509"
	"encoding/pem"
	"strings"

	"github.com/brs-go/brs/shared"
)

// parseKey finds the private key block in keyPEM and checks that it parses, without
// quoting any part of it.
func parseKey(keyPEM []byte, keyPath string) (*pem.Block, *shared.Error) {
	rest, sawCert := keyPEM, false
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			sawCert = true
			continue
		}
		if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
			continue
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "" {
			return nil, shared.Permanent("InvalidKey", "key %s is encrypted, which brs does not support; decrypt it (openssl pkey) and keep it readable only by the user that runs brs", keyPath)
		}
		if !keyParses(b.Bytes) {
			return nil, shared.Permanent("InvalidKey", "key %s: the %s cannot be parsed as PKCS #1, PKCS #8 or SEC 1", keyPath, b.Type)
		}
		return b, nil
	}
	if sawCert {
		return nil, shared.Permanent("InvalidKey", "key %s holds a certificate and no private key; cert and key may be swapped", keyPath)
	}
	return nil, shared.Permanent("InvalidKey", "key %s holds no PEM private key block (such as BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)", keyPath)
}

// keyParses reports whether der is a private key in one of the forms TLS accepts.
func keyParses(der []byte) bool {
	if _, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return true
	}
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return true
	}
	_, err := x509.ParseECPrivateKey(der)
	return err == nil
}

// pemBlock encodes b again, without the headers a key file may carry.
func pemBlock(b *pem.Block) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: b.Type, Bytes: b.Bytes})
}
