// Package fakesaml is what tests of the saml source need in place of a real SAML
// identity provider and of AWS STS's AssumeRoleWithSAML, which no server here serves
// with its checks (moto answers AssumeRoleWithSAML but checks no signature, audience
// or time).
//
// IdP signs real SAML 2.0 Responses with a test RSA key and certificate
// (XML-DSig, exclusive C14N, RSA-SHA256, as Okta, Entra ID or ADFS sign them), using
// russellhaering/goxmldsig.
//
// STS is a fake: a loopback HTTP server that answers AssumeRoleWithSAML only. It
// checks what AWS STS checks (see STS) and answers in STS's XML, so a real
// aws-sdk-go-v2 client talks to it. It is a test helper only: never linked into brs.
package fakesaml
