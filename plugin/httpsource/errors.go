package httpsource

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

// addrNotAllowedError is the cause of a connection Options.AllowAddr refused.
type addrNotAllowedError struct{ addr string }

func (e *addrNotAllowedError) Error() string { return "address " + e.addr + " is not allowed" }

// certAlerts are the TLS alerts with which a server refuses the client certificate
// (RFC 8446 section 6.2), as crypto/tls names them.
var certAlerts = []string{
	"bad certificate", "unsupported certificate", "certificate revoked", "certificate expired",
	"certificate unknown", "unknown certificate authority", "access denied", "certificate required",
}

// requestError classifies a request that got no (whole) answer. TLS failures are
// permanent, since another attempt meets the same certificates; timeouts and network
// failures are retryable. The codes: HostNotAllowed, ServerCertificateUntrusted,
// ServerCertificateMismatch, ServerCertificateInvalid, CertificateRejected,
// TLSHandshakeFailed, NotTLS, Timeout, Canceled, NetworkError.
func (c *Client) requestError(ctx context.Context, err error, where string, timeout time.Duration, secrets []string) *shared.Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // it repeats the full URL, query included
	}
	var na *addrNotAllowedError
	var verr *tls.CertificateVerificationError
	var oe *net.OpError
	var rhe tls.RecordHeaderError
	switch {
	case errors.As(err, &na):
		return c.errorf(shared.Permanent, "HostNotAllowed", secrets, "", "%s: refused to connect to %s, an address this source does not allow", where, na.addr)
	case errors.As(err, &verr):
		return c.serverCertError(verr, where, secrets)
	case errors.As(err, &oe) && oe.Op == "remote error":
		alert := strings.TrimPrefix(oe.Err.Error(), "tls: ")
		for _, a := range certAlerts {
			if alert == a {
				return c.errorf(shared.Permanent, "CertificateRejected", secrets,
					"check that the server accepts the client certificate, and that it has not expired or been revoked",
					"%s: the server refused the client certificate (TLS alert %q)", where, alert)
			}
		}
		if alert == "internal error" {
			return c.errorf(shared.Retryable, "TLSHandshakeFailed", secrets, "retrying later", "%s: the TLS handshake failed on the server's side (TLS alert %q)", where, alert)
		}
		return c.errorf(shared.Permanent, "TLSHandshakeFailed", secrets, "check the URL", "%s: the server ended the TLS handshake (TLS alert %q)", where, alert)
	case errors.As(err, &rhe) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"): // net/http's words, not wrapped
		return c.errorf(shared.Permanent, "NotTLS", secrets, "check the URL (and its port)", "%s: the endpoint does not speak TLS", where)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return c.errorf(shared.Retryable, "Timeout", secrets, "the server may be overloaded; retrying later", "%s: no answer within %v (or the refresh deadline)", where, timeout)
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return c.errorf(shared.Retryable, "Canceled", secrets, "", "%s: cancelled", where)
	}
	return c.errorf(shared.Retryable, "NetworkError", secrets, "check the network and the URL", "%s: %v", where, err)
}

// serverCertError describes a server whose certificate the client does not trust.
func (c *Client) serverCertError(verr *tls.CertificateVerificationError, where string, secrets []string) *shared.Error {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ie x509.CertificateInvalidError
	switch {
	case errors.As(verr.Err, &ua):
		return c.errorf(shared.Permanent, "ServerCertificateUntrusted", secrets, "", "%s: the server's certificate is not signed by a CA in %s", where, c.rootsName)
	case errors.As(verr.Err, &he):
		return c.errorf(shared.Permanent, "ServerCertificateMismatch", secrets, "check the URL", "%s: the server's certificate is not valid for this host name (%v)", where, he)
	case errors.As(verr.Err, &ie):
		return c.errorf(shared.Permanent, "ServerCertificateInvalid", secrets, "check the URL and this machine's clock", "%s: the server's certificate is not valid: %v", where, ie)
	}
	return c.errorf(shared.Permanent, "ServerCertificateInvalid", secrets, "", "%s: the server's certificate cannot be verified with %s: %v", where, c.rootsName, verr.Err)
}
