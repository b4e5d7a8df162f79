// Package process is the built-in "process" credential source: at every refresh it
// runs a command that prints credentials in the AWS credential_process JSON format
// (Version 1, AccessKeyId, SecretAccessKey, and optionally SessionToken, Expiration and
// AccountId), as the AWS CLI's credential_process setting does.
//
// The command is a shell command line, run with `sh -c` in a process group of its own
// (see package shellcmd): its standard output is read for the JSON and never repeated
// in an error or a log line; its standard error goes to the plugin's standard error,
// which the host logs. When the time limit passes, the whole process group is killed.
//
// cmd/brs-plugin-process serves New() as a plugin; host.WithRefresher can run it
// in-process.
package process
