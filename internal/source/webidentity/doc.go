// Package webidentity is the built-in "web_identity" credential source: it exchanges an
// OpenID Connect token — a Kubernetes service account token, a CI job's ID token — for
// the temporary credentials of an IAM role with STS AssumeRoleWithWebIdentity.
//
// The call is not signed: the token is the proof of identity, so no base credentials
// are needed and a source_role is refused. The token is read anew at every refresh,
// from token_file (Kubernetes rotates projected tokens in place) or from the standard
// output of token_command. It is a secret: it never appears in an error, a log line or
// a diagnostic.
//
// cmd/brs-plugin-web_identity serves New() as a plugin; host.WithRefresher can run it
// in-process.
package webidentity
