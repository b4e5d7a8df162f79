// Command brs-credential-process is `brs credential-process` for a credential_process
// line, made to start fast:
//
//	credential_process = /home/me/go/bin/brs-credential-process -c /home/me/.config/brs/brs.hcl dev
//
// It takes the same flags and ROLE as `brs credential-process` and prints the same
// JSON. When a running brs agent has the role's credentials it answers alone: a small
// binary that links the agent's protocol and nothing of the AWS SDK, HCL or gRPC,
// whose start costs a fraction of brs's. Anything else (no agent yet, an error, a
// warning, --no-agent, a debug log level) it hands to the brs binary installed next
// to it (`go install ./cmd/...` installs both), which runs `brs credential-process`
// with the same arguments: it starts the agent, or fetches in-process, and reports
// errors.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/brs-go/brs/internal/credentialprocess"
	"github.com/brs-go/brs/internal/proc"
	"github.com/brs-go/brs/internal/ttyprompt"
)

// version is brs's version, set at link time as brs's is (-ldflags -X main.version=…).
var version = ""

func main() {
	// The credentials pass through this process's memory: no core dump, and no other
	// process of the user may read them through /proc or ptrace (as brs does).
	if err := proc.DisableDumping(); err != nil {
		fmt.Fprintf(os.Stderr, "brs: warning: cannot make the process non-dumpable: %v\n", err)
	}
	args := append([]string{credentialprocess.Command}, os.Args[1:]...)
	// No signal handler: SIGINT or SIGTERM ends the process as Go's default does
	// (killed by the signal, as its parent expects), the kernel closes the socket,
	// and the agent cancels the request. A handler would cost every call a thread
	// parked for signals (~1-3 ms of CPU here; BENCHMARKS.md).
	env := credentialprocess.Env{
		LookupEnv:      os.LookupEnv,
		Environ:        os.Environ,
		StderrTerminal: isTerminal(os.Stderr),
		Version:        credentialprocess.Version(version),
	}
	if ttyprompt.Available() {
		env.Ask = ttyprompt.Answer
	}
	code, handled := credentialprocess.FromAgent(context.Background(), args, env, os.Stdout, os.Stderr)
	if handled {
		os.Exit(code)
	}
	brs, err := brsBinary()
	if err == nil {
		err = runBRS(brs, args) // returns only on failure where it execs
	}
	fmt.Fprintf(os.Stderr, "brs-credential-process: cannot run brs: %v; install brs next to brs-credential-process (go install ./cmd/... installs both)\n", err)
	os.Exit(1)
}

// brsBinary returns the brs binary next to this one.
func brsBinary() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	name := "brs"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(filepath.Dir(exe), name), nil
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
