// Package session is the built-in "session" credential source: it calls STS
// GetSessionToken, with an MFA code when the role names an MFA device, and returns the
// session's temporary credentials. It is the base of chained roles: sts roles whose
// source_role is a session role assume their roles with its credentials, so one MFA
// code serves every one of them for the session's lifetime (up to 36 hours).
//
// GetSessionToken must be signed with an IAM user's long-term access key. The key is
// read from the OS keyring when the role names one (keyring = "NAME", see
// internal/keyring and `brs keys add`), else from the AWS profile named by profile,
// else from the default AWS credential chain of the process it runs in. Temporary base
// credentials are refused with a clear error, as STS would refuse them.
//
// What it trusts: the keyring (and whoever can unlock it), the AWS shared files and
// environment of the process it runs in, the STS endpoint of the role, and
// mfa_token_command, which runs with `sh -c` and prints the code on standard output.
//
// cmd/brs-plugin-session serves New() as a plugin; sources.Session runs it in-process.
package session
