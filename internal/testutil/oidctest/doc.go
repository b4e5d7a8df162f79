// Package oidctest is a loopback OpenID Connect provider for tests of web identity
// federation: it serves a discovery document and a JWKS holding an RSA key generated
// for the test, and signs RS256 ID tokens with that key.
//
// MinIO reads the discovery document when it starts, so the provider must be up
// first. StartWithMinIO does it all, and waits until MinIO can grant the token's
// policy:
//
//	idp, srv := oidctest.StartWithMinIO(t)
//	token := idp.Token(t, time.Hour) // for AssumeRoleWithWebIdentity at srv.Endpoint
//
// With another server, start the provider alone (Start) and hand the server the
// variables from MinIOEnv or the URL from ConfigURL.
//
// It is a test double, not an identity provider: it has no users, no login and no
// token endpoint. Tokens are signed with the standard library's crypto only.
package oidctest
