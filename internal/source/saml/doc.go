// Package saml is the built-in "saml" credential source: it exchanges a SAML 2.0
// assertion from an identity provider (Okta, Entra ID, ADFS, Keycloak, ...) for the
// temporary credentials of an IAM role with STS AssumeRoleWithSAML.
//
// The assertion comes from saml_command, any program that signs the user in and
// prints the base64 SAMLResponse the identity provider posted (a browser helper, a
// CLI such as saml2aws, a script). The command runs again at every refresh: an
// assertion is valid for minutes, so it cannot be kept. The source reads the
// assertion's Role attribute (https://aws.amazon.com/SAML/Attributes/Role, whose
// values are "role ARN,SAML provider ARN" pairs, in either order) to choose the role
// and the provider; role_arn and principal_arn choose when there are several.
//
// The assertion is parsed with encoding/xml, bounded in size, and its signature is
// NOT checked: brs only reads it to pick the role. STS verifies the signature against
// the certificate registered for the SAML provider in IAM, and the audience and time
// window, and refuses a forged or stale assertion; the call itself is not signed, as
// the assertion is the proof of identity.
//
// What it trusts: saml_command (run with sh -c, with the minimal environment of
// commands brs runs), and the STS endpoint of the role. The assertion is a secret
// (whoever holds it can assume the role until it expires): it never appears in an
// error, a log line or a diagnostic, and is removed from the command's standard
// error before that is logged.
//
// cmd/brs-plugin-saml serves New() as a plugin; sources.SAML runs it in-process.
package saml
