// Package sts is the built-in "sts" credential source: it calls STS AssumeRole and
// returns the temporary credentials of the assumed role.
//
// The credentials that sign AssumeRole are the request's source credentials when the
// role names a source_role (role chaining), else the long-term key in the OS keyring
// named by the keyring attribute (internal/keyring), else those of the AWS profile named
// by the profile attribute, else the default AWS credential chain of the process it runs in
// (environment, shared config and credentials files, SSO, web identity, container and
// EC2 instance credentials), as the AWS CLI would find them.
//
// A role with mfa_serial gets a fresh one-time code for every refresh from
// mfa_token_command, a shell command that prints it. The command runs with `sh -c`; its
// standard output is read for the code and its standard error goes to the plugin's
// standard error, which the host logs.
//
// cmd/brs-plugin-sts serves New() as a plugin; host.WithRefresher can run it in-process.
package sts
