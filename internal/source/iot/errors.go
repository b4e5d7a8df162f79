package iot

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/brs-go/brs/shared"
)

// certAlerts are the TLS alerts with which a server refuses the client certificate
// (RFC 8446 section 6.2), as Go's crypto/tls names them.
var certAlerts = []string{
	"bad certificate", "unsupported certificate", "certificate revoked", "certificate expired",
	"certificate unknown", "unknown certificate authority", "access denied", "certificate required",
}

// requestError classifies a request that got no answer: TLS failures are permanent,
// since another attempt presents the same certificate to the same server; timeouts
// and network failures are retryable.
func (s settings) requestError(ctx context.Context, err error, where string) *shared.Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the message names the URL already
	}
	var verr *tls.CertificateVerificationError
	var oe *net.OpError
	var rhe tls.RecordHeaderError
	switch {
	case errors.As(err, &verr):
		return s.serverCertError(verr, where)
	case errors.As(err, &oe) && oe.Op == "remote error":
		alert := strings.TrimPrefix(oe.Err.Error(), "tls: ")
		for _, a := range certAlerts {
			if alert == a {
				return shared.Permanent("CertificateRejected", "GET %s: the server refused the client certificate in cert %s (TLS alert %q); "+
					"check that the certificate is registered with AWS IoT in this account and region and ACTIVE, that its CA is registered if it is not "+
					"an AWS-issued certificate, and that it has not expired or been revoked", where, s.Cert, alert)
			}
		}
		if alert == "internal error" {
			return shared.Retryable("TLSHandshakeFailed", "GET %s: the TLS handshake failed on the server's side (TLS alert %q); retrying later", where, alert)
		}
		return shared.Permanent("TLSHandshakeFailed", "GET %s: the server ended the TLS handshake (TLS alert %q); check endpoint and that it is an AWS IoT credentials endpoint", where, alert)
	case errors.As(err, &rhe) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"): // net/http's words, not wrapped
		return shared.Permanent("NotTLS", "GET %s: the endpoint does not speak TLS; check endpoint (and its port)", where)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return shared.Retryable("Timeout", "GET %s: no answer within %v (or the refresh deadline); raise timeout if the network is always this slow", where, s.timeout)
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return shared.Retryable("Canceled", "GET %s: cancelled", where)
	}
	return shared.Retryable("NetworkError", "GET %s: %v; check the network and endpoint", where, err)
}

// serverCertError describes an endpoint whose certificate this side does not trust.
func (s settings) serverCertError(verr *tls.CertificateVerificationError, where string) *shared.Error {
	roots := "the system's roots"
	if s.CA != "" {
		roots = "ca " + s.CA
	}
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ie x509.CertificateInvalidError
	switch {
	case errors.As(verr.Err, &ua):
		return shared.Permanent("ServerCertificateUntrusted", "GET %s: the server's certificate is not signed by a CA in %s; "+
			"for AWS IoT, ca must hold Amazon Root CA 1 (https://www.amazontrust.com/repository/AmazonRootCA1.pem)", where, roots)
	case errors.As(verr.Err, &he):
		return shared.Permanent("ServerCertificateMismatch", "GET %s: the server's certificate is not valid for this host name (%v); check endpoint", where, he)
	case errors.As(verr.Err, &ie):
		return shared.Permanent("ServerCertificateInvalid", "GET %s: the server's certificate is not valid: %v; check endpoint and this machine's clock", where, ie)
	}
	return shared.Permanent("ServerCertificateInvalid", "GET %s: the server's certificate cannot be verified with %s: %v", where, roots, verr.Err)
}

// statusError classifies an answer other than 200. The body is not quoted.
func (s settings) statusError(status int, where string) *shared.Error {
	msg := fmt.Sprintf("GET %s: HTTP %d", where, status)
	thing := "thing_name is not set"
	if s.ThingName != "" {
		thing = fmt.Sprintf("thing_name %q is sent", s.ThingName)
	}
	switch {
	case status == http.StatusBadRequest:
		return shared.Permanent("BadRequest", "%s: the credentials provider refused the request (%s); check role_alias and thing_name", msg, thing)
	case status == http.StatusUnauthorized:
		return shared.Permanent("Unauthorized", "%s: the certificate in cert %s is not accepted; check that it is registered with AWS IoT and ACTIVE", msg, s.Cert)
	case status == http.StatusForbidden:
		return shared.Permanent("AccessDenied", "%s: the certificate may not assume role alias %q (%s); check that its IoT policy allows iot:AssumeRoleWithCertificate "+
			"on the role alias, that the thing is attached to the certificate, and set thing_name if the policy uses credentials-iot:ThingName", msg, s.RoleAlias, thing)
	case status == http.StatusNotFound:
		return shared.Permanent("RoleAliasNotFound", "%s: no role alias %q at this endpoint; check role_alias (aws iot list-role-aliases) and that endpoint is this account's and region's", msg, s.RoleAlias)
	case status == http.StatusTooManyRequests:
		return shared.Retryable("Throttling", "%s: throttled; retrying later", msg)
	case status >= 500:
		return shared.Retryable("ServerError", "%s: the credentials provider failed; retrying later", msg)
	case status >= 300 && status < 400:
		return shared.Permanent("Redirect", "%s: redirects are not followed; check endpoint", msg)
	case status >= 400:
		return shared.Permanent(fmt.Sprintf("HTTP%d", status), "%s: the credentials provider refused the request; check endpoint and role_alias", msg)
	}
	return shared.Retryable("InvalidResponse", "%s: expected HTTP 200 with credentials", msg)
}
