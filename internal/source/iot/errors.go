package iot

import (
	"fmt"
	"net/http"

	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

// advice is what the messages of the HTTP client's errors end with, by code, for
// this config.
func (s settings) advice() map[string]string {
	return map[string]string{
		"ServerCertificateUntrusted": "for AWS IoT, ca must hold Amazon Root CA 1 (https://www.amazontrust.com/repository/AmazonRootCA1.pem)",
		"ServerCertificateMismatch":  "check endpoint",
		"ServerCertificateInvalid":   "check endpoint and this machine's clock",
		"CertificateRejected": fmt.Sprintf("the certificate is cert %s: check that it is registered with AWS IoT in this account and region and ACTIVE, that its CA is registered if it is not "+
			"an AWS-issued certificate, and that it has not expired or been revoked", s.Cert),
		"TLSHandshakeFailed": "check endpoint and that it is an AWS IoT credentials endpoint",
		"NotTLS":             "check endpoint (and its port)",
		"Timeout":            "raise timeout if the network is always this slow",
		"NetworkError":       "check the network and endpoint",
	}
}

// statusError classifies an answer other than 200. The body is not quoted.
func (s settings) statusError(resp *httpsource.Response) *shared.Error {
	status := resp.StatusCode
	thing := "thing_name is not set"
	if s.ThingName != "" {
		thing = fmt.Sprintf("thing_name %q is sent", s.ThingName)
	}
	switch {
	case status == http.StatusBadRequest:
		return resp.StatusError("BadRequest", "the credentials provider refused the request ("+thing+"); check role_alias and thing_name")
	case status == http.StatusUnauthorized:
		return resp.StatusError("", "the certificate in cert "+s.Cert+" is not accepted; check that it is registered with AWS IoT and ACTIVE")
	case status == http.StatusForbidden:
		return resp.StatusError("", fmt.Sprintf("the certificate may not assume role alias %q (%s); check that its IoT policy allows iot:AssumeRoleWithCertificate "+
			"on the role alias, that the thing is attached to the certificate, and set thing_name if the policy uses credentials-iot:ThingName", s.RoleAlias, thing))
	case status == http.StatusNotFound:
		return resp.StatusError("RoleAliasNotFound", fmt.Sprintf("no role alias %q at this endpoint; check role_alias (aws iot list-role-aliases) and that endpoint is this account's and region's", s.RoleAlias))
	case status == http.StatusTooManyRequests:
		return resp.StatusError("", "throttled; retrying later")
	case status >= 500:
		return resp.StatusError("", "the credentials provider failed; retrying later")
	case status >= 300 && status < 400:
		return resp.StatusError("", "redirects are not followed; check endpoint")
	case status >= 400:
		return resp.StatusError("", "the credentials provider refused the request; check endpoint and role_alias")
	}
	return resp.StatusError("", "expected HTTP 200 with credentials")
}
