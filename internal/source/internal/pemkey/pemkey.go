package pemkey

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// Errors of ParsePrivateKey and ParseCertificates; the caller names the file.
var (
	// ErrNoKey: the data holds no PEM private key block.
	ErrNoKey = errors.New("holds no PEM private key block (such as BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)")
	// ErrCertificateNotKey: the data holds a certificate where a key was expected.
	ErrCertificateNotKey = errors.New("holds a certificate and no private key; certificate and private_key may be swapped")
	// ErrKeyNotCertificate: the data holds a key where a certificate was expected.
	ErrKeyNotCertificate = errors.New("holds a private key and no certificate; certificate and private_key may be swapped")
	// ErrNoCertificate: the data holds no PEM certificate block.
	ErrNoCertificate = errors.New("holds no PEM certificate block (BEGIN CERTIFICATE)")
	// ErrInvalidKey: the key block cannot be parsed.
	ErrInvalidKey = errors.New("holds a private key that cannot be parsed as PKCS #1, SEC 1 or PKCS #8")
	// ErrUnsupportedKey: the key parses but is neither RSA nor ECDSA.
	ErrUnsupportedKey = errors.New("holds a private key that is neither RSA nor ECDSA, the two kinds IAM Roles Anywhere accepts")
	// ErrLegacyEncryption: the key is encrypted the old OpenSSL way (Proc-Type
	// header), which is insecure and unsupported.
	ErrLegacyEncryption = errors.New("is encrypted in the legacy OpenSSL format (Proc-Type: 4,ENCRYPTED), which brs does not read; " +
		"convert it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW`")
	// ErrNeedPassphrase: the key is encrypted and no passphrase source was given.
	ErrNeedPassphrase = errors.New("holds an encrypted private key (BEGIN ENCRYPTED PRIVATE KEY); set passphrase_command to a command that prints its passphrase")
	// ErrWrongPassphrase: decryption failed, almost always a wrong passphrase.
	ErrWrongPassphrase = errors.New("cannot be decrypted with the passphrase: it is wrong, or the file is damaged")
)

// UnsupportedEncryptionError: the encrypted key uses a scheme this package does not
// implement.
type UnsupportedEncryptionError struct {
	// Scheme names the scheme, e.g. an OID or "PBES2 with scrypt".
	Scheme string
}

// Error names the scheme and the command that re-encrypts the key in a supported one.
func (e *UnsupportedEncryptionError) Error() string {
	return fmt.Sprintf("is encrypted with %s, which brs does not read; re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW` "+
		"(PBES2, PBKDF2 with HMAC-SHA-256, AES-256-CBC)", e.Scheme)
}

// Passphrase returns the passphrase of an encrypted key. It is called only when
// the key is encrypted; its error is returned unchanged.
type Passphrase func() ([]byte, error)

// ParsePrivateKey returns the first private key in the PEM data. An encrypted PKCS #8
// key is decrypted with what passphrase returns; passphrase may be nil when no key is
// expected to be encrypted.
func ParsePrivateKey(data []byte, passphrase Passphrase) (crypto.Signer, error) {
	rest, sawCert := data, false
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
		if b.Headers["Proc-Type"] != "" || b.Headers["DEK-Info"] != "" {
			return nil, ErrLegacyEncryption
		}
		der := b.Bytes
		if b.Type == "ENCRYPTED PRIVATE KEY" {
			if passphrase == nil {
				return nil, ErrNeedPassphrase
			}
			pass, err := passphrase()
			if err != nil {
				return nil, err
			}
			der, err = DecryptPKCS8(der, pass)
			clear(pass)
			if err != nil {
				return nil, err
			}
			defer clear(der) // the decrypted key, once parsed
		}
		return parseDER(der)
	}
	if sawCert {
		return nil, ErrCertificateNotKey
	}
	return nil, ErrNoKey
}

// parseDER parses an unencrypted key in any of the three forms.
func parseDER(der []byte) (crypto.Signer, error) {
	var key any
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		key = k
	} else if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		key = k
	} else if k, err := x509.ParseECPrivateKey(der); err == nil {
		key = k
	} else {
		return nil, ErrInvalidKey
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	}
	return nil, ErrUnsupportedKey
}

// ParseCertificates returns every certificate in the PEM data, in order. It fails
// when the data holds none.
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest, sawKey := data, false
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
				return nil, fmt.Errorf("holds a certificate (number %d) that cannot be parsed: %w", len(certs)+1, err)
			}
			certs = append(certs, c)
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			sawKey = true
		}
	}
	switch {
	case len(certs) == 0 && sawKey:
		return nil, ErrKeyNotCertificate
	case len(certs) == 0:
		return nil, ErrNoCertificate
	}
	return certs, nil
}

// Matches reports whether key is the private key of cert's public key.
func Matches(cert *x509.Certificate, key crypto.Signer) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := key.Public().(equaler)
	return ok && pub.Equal(cert.PublicKey)
}
