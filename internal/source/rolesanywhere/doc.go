// Package rolesanywhere is the built-in "roles_anywhere" credential source: it gets
// temporary credentials from IAM Roles Anywhere, which exchanges an X.509 certificate
// issued by a CA the account trusts (a trust anchor) for the credentials of an IAM
// role:
//
//	POST https://rolesanywhere.REGION.amazonaws.com/sessions?profileArn=…&roleArn=…&trustAnchorArn=…
//	X-Amz-Date, X-Amz-X509 (the certificate), X-Amz-X509-Chain (intermediates)
//	Authorization: AWS4-X509-RSA-SHA256 (or AWS4-X509-ECDSA-SHA256) Credential=SERIAL/DATE/REGION/rolesanywhere/aws4_request, …
//	{"durationSeconds": 3600, "roleSessionName": "…"}
//
// The request is signed as Signature Version 4 signs, except that the signature is
// made with the certificate's private key (RSA PKCS #1 v1.5 or ECDSA, over SHA-256 of
// the string to sign) and the credential is the certificate's serial number, as AWS's
// aws_signing_helper does. The answer is {"credentialSet": [{"credentials":
// {"accessKeyId", "secretAccessKey", "sessionToken", "expiration"}}]}.
//
// The certificate, its chain and the private key are PEM files, read again at every
// refresh, so that a rotated certificate is used from the next refresh on. The key may
// be an RSA or EC key in PKCS #1, SEC 1 or PKCS #8 form, or an encrypted PKCS #8 key
// whose passphrase passphrase_command prints (internal/source/internal/pemkey); inside
// brs it is a crypto.Signer, so that PKCS #11 and TPM keys can be added later.
//
// What it trusts: the certificate and key files (and whoever can write them), the
// passphrase command, which runs with `sh -c`, and the Roles Anywhere endpoint, reached
// over https with the system's roots (plain http only to a loopback address, for
// tests). The private key and the passphrase never leave the plugin; no message, log
// line or diagnostic holds any part of them.
//
// cmd/brs-plugin-roles_anywhere serves New() as a plugin; sources.RolesAnywhere runs
// it in-process.
package rolesanywhere
