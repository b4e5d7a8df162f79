package rolesanywhere

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"io"
	"time"

	"github.com/brs-go/brs/internal/boundedfile"
	"github.com/brs-go/brs/internal/source/internal/pemkey"
	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/shared"
)

// maxPEMFile bounds each file read; a certificate chain is a few KB.
const maxPEMFile = 1 << 20

// PassphraseTimeout bounds passphrase_command: long enough for a person to unlock a
// password manager. A variable only so that a test can shorten it.
var PassphraseTimeout = 2 * time.Minute

// maxPassphrase caps what passphrase_command may print.
const maxPassphrase = 4 << 10

// identity is what signs a request: the certificate, the intermediates sent with it
// and the private key.
type identity struct {
	leaf  *x509.Certificate
	chain []*x509.Certificate
	key   crypto.Signer
}

// readPEMFile reads one of the PEM files; attr names the attribute for messages.
func readPEMFile(attr, path string) ([]byte, *shared.Error) {
	b, err := boundedfile.ReadFile(path, maxPEMFile)
	if errors.Is(err, boundedfile.ErrTooLarge) {
		return nil, shared.Permanent(fileCode(attr), "%s %s is larger than %s; check that it is a PEM file", attr, path, boundedfile.Size(maxPEMFile))
	}
	if err != nil {
		reason := err.Error()
		var fe *boundedfile.Error
		if errors.As(err, &fe) {
			reason = fe.Reason // the path is in the message already
		}
		return nil, shared.Permanent(fileCode(attr), "reading %s %s: %v; check the path and the file's permissions", attr, path, reason)
	}
	return b, nil
}

// fileCode is the error code of a problem with attr's file.
func fileCode(attr string) string {
	switch attr {
	case "private_key":
		return "InvalidKey"
	case "certificate_chain":
		return "InvalidCertificateChain"
	}
	return "InvalidCertificate"
}

// loadIdentity reads the certificate, the chain and the key, and checks that the key
// belongs to the certificate and that the certificate is valid at now. Messages name
// the files, never what they hold.
func (s settings) loadIdentity(ctx context.Context, stderr io.Writer, now time.Time) (identity, error) {
	certPEM, se := readPEMFile("certificate", s.Certificate)
	if se != nil {
		return identity{}, se
	}
	certs, err := pemkey.ParseCertificates(certPEM)
	if err != nil {
		return identity{}, shared.Permanent("InvalidCertificate", "certificate %s %v", s.Certificate, err)
	}
	id := identity{leaf: certs[0], chain: certs[1:]}
	if s.CertificateChain != "" {
		chainPEM, se := readPEMFile("certificate_chain", s.CertificateChain)
		if se != nil {
			return identity{}, se
		}
		more, err := pemkey.ParseCertificates(chainPEM)
		if err != nil {
			return identity{}, shared.Permanent("InvalidCertificateChain", "certificate_chain %s %v", s.CertificateChain, err)
		}
		id.chain = append(id.chain, more...)
	}
	if len(id.chain) > maxChain {
		return identity{}, shared.Permanent("InvalidCertificateChain", "the certificate and certificate_chain hold %d intermediate certificates; Roles Anywhere takes at most %d", len(id.chain), maxChain)
	}

	keyPEM, se := readPEMFile("private_key", s.PrivateKey)
	if se != nil {
		return identity{}, se
	}
	var passErr error
	key, err := pemkey.ParsePrivateKey(keyPEM, s.passphrase(ctx, stderr, &passErr))
	clear(keyPEM)
	switch {
	case passErr != nil:
		return identity{}, passErr
	case errors.Is(err, pemkey.ErrNeedPassphrase):
		return identity{}, shared.Permanent("PassphraseRequired", "private_key %s %v", s.PrivateKey, err)
	case errors.Is(err, pemkey.ErrWrongPassphrase):
		return identity{}, shared.Permanent("WrongPassphrase", "private_key %s %v; check what passphrase_command prints", s.PrivateKey, err)
	case err != nil:
		return identity{}, shared.Permanent("InvalidKey", "private_key %s %v", s.PrivateKey, err)
	}
	id.key = key
	if !pemkey.Matches(id.leaf, key) {
		return identity{}, shared.Permanent("KeyMismatch", "the private key in private_key %s does not belong to the certificate in certificate %s; "+
			"check that both files come from the same certificate (after a rotation, both must be replaced)", s.PrivateKey, s.Certificate)
	}
	switch {
	case now.After(id.leaf.NotAfter):
		return identity{}, shared.Permanent("CertificateExpired", "the certificate in certificate %s expired at %s; renew it (and private_key) with the CA of the trust anchor",
			s.Certificate, id.leaf.NotAfter.UTC().Format(time.RFC3339))
	case now.Before(id.leaf.NotBefore):
		return identity{}, shared.Permanent("CertificateNotYetValid", "the certificate in certificate %s is valid only from %s; check this machine's clock",
			s.Certificate, id.leaf.NotBefore.UTC().Format(time.RFC3339))
	}
	return id, nil
}

// maxChain bounds the intermediates sent; Roles Anywhere accepts a chain of up to 5
// certificates between the trust anchor and the end entity.
const maxChain = 5

// passphrase returns the pemkey.Passphrase that runs passphrase_command, or nil when
// none is set. Its failure is stored in *errp as a *shared.Error.
func (s settings) passphrase(ctx context.Context, stderr io.Writer, errp *error) pemkey.Passphrase {
	if s.PassphraseCommand == "" {
		return nil
	}
	return func() ([]byte, error) {
		out, err := shellcmd.Run(ctx, shellcmd.Command{
			Line:      s.PassphraseCommand,
			Inherit:   s.InheritEnv,
			Env:       shellcmd.EnvPairs(s.Env),
			Timeout:   PassphraseTimeout,
			MaxOutput: maxPassphrase,
			Stderr:    stderr,
			// The command may echo the passphrase on stderr too: it is redacted
			// before stderr reaches the host's log.
			Redact: func(stderr, stdout []byte) []byte {
				if p := trimNewline(stdout); len(p) > 0 {
					return bytes.ReplaceAll(stderr, p, []byte("[redacted]"))
				}
				return stderr
			},
		})
		var timeout *shellcmd.TimeoutError
		switch {
		case ctx.Err() != nil:
			*errp = shared.Retryable("Canceled", "the refresh was cancelled while passphrase_command ran: %v", ctx.Err())
		case errors.As(err, &timeout):
			*errp = shared.Permanent("PassphraseCommandTimeout", "passphrase_command did not finish within %v", PassphraseTimeout)
		case errors.Is(err, shellcmd.ErrOutputTooLarge):
			*errp = shared.Permanent("PassphraseCommandFailed", "passphrase_command printed more than %d bytes, which no passphrase is", maxPassphrase)
		case err != nil:
			*errp = shared.Permanent("PassphraseCommandFailed", "passphrase_command failed: %v (its standard error is in the brs log)", err)
		case len(trimNewline(out)) == 0:
			*errp = shared.Permanent("PassphraseCommandFailed", "passphrase_command printed no passphrase")
		}
		if *errp != nil {
			clear(out)
			return nil, *errp
		}
		return trimNewline(out), nil
	}
}

// trimNewline removes one trailing "\n" or "\r\n", as a shell's $(…) would not keep
// a passphrase that ends in one anyway.
func trimNewline(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
