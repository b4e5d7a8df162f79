// Command brs keeps temporary AWS credentials fresh for long-running programs. It reads
// roles from an HCL file, starts the refresher plugins they name, and hands the
// credentials to other programs: `brs validate` checks the file, and
// `brs credential-process ROLE` prints a role's credentials in the JSON format that the
// AWS CLI and SDKs read from a credential_process line in ~/.aws/config.
//
// Run `brs help` for the commands, the config file lookup and plugin discovery.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
