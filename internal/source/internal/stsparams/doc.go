// Package stsparams holds what the two sources that call STS (sts with AssumeRole,
// web_identity with AssumeRoleWithWebIdentity) check and derive the same way: the
// role ARN, the session name and its default, the session duration and the session
// policies, and the account of the ARN that STS returns.
//
// The limits are STS's own (see the AssumeRole API reference), checked here so a
// mistake shows up in `brs validate` with a file and line rather than at the first
// refresh.
package stsparams
