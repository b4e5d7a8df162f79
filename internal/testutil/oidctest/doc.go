// Package oidctest is a loopback OpenID Connect provider for tests of web identity
// federation: it serves a discovery document and a JWKS holding an RSA key generated
// for the test, and signs RS256 ID tokens with that key.
//
// MinIO reads the discovery document when it starts, so start the provider first and
// hand MinIO the variables from MinIOEnv:
//
//	idp := oidctest.Start(t)
//	srv := miniotest.Start(t, idp.MinIOEnv()...)
//	token := idp.Token(t, time.Hour)
//
// It is a test double, not an identity provider: it has no users, no login and no
// token endpoint. Only the standard library's crypto is used.
package oidctest
