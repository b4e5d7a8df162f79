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
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/brs-go/brs/internal/proc"
)

func main() {
	// brs holds base credentials in its environment and memory: no core dump, and no
	// other process of the user (the command of brs exec included) may read them
	// through /proc or ptrace. The commands it runs are dumpable again (execve resets
	// it), and reach the credentials through the endpoint instead.
	if err := proc.DisableDumping(); err != nil {
		fmt.Fprintf(os.Stderr, "brs: warning: cannot make the process non-dumpable: %v\n", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
