package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/endpoint"
	"github.com/brs-go/brs/internal/proc"
)

// Exit statuses of `brs exec` when the command does not run, as a shell reports them.
const (
	// exitCannotRun: the command was found but could not be started.
	exitCannotRun = 126
	// exitNotFound: there is no such command.
	exitNotFound = 127
)

// shutdownGrace bounds how long brs waits for requests in progress when it stops the
// endpoint.
const shutdownGrace = 5 * time.Second

// setupExec is `brs exec [--keep-aws-config] ROLE -- COMMAND [ARGS…]`.
func setupExec(fs *flag.FlagSet) runFunc {
	keep := fs.Bool("keep-aws-config", false, "leave the AWS config files and AWS_PROFILE as they are")
	return func(ctx context.Context, c *cli, args []string) int {
		return runExec(ctx, c, args, *keep)
	}
}

// splitExecArgs splits ROLE [--] COMMAND [ARGS…].
func splitExecArgs(args []string) (role string, argv []string, ok bool) {
	if len(args) < 2 {
		return "", nil, false
	}
	role, argv = args[0], args[1:]
	if argv[0] == "--" {
		argv = argv[1:]
	}
	return role, argv, len(argv) > 0 && role != "--"
}

func runExec(ctx context.Context, c *cli, args []string, keepAWSConfig bool) int {
	role, argv, ok := splitExecArgs(args)
	if !ok {
		return c.commandUsageError(lookupCommand("exec"), "exec needs ROLE -- CMD [ARG...]")
	}
	h, _, code := c.load(ctx, host.WithOnly(role))
	if h == nil {
		return code
	}
	defer c.closeHost(h)
	c.warnConfig(h)

	// Fetch first: a role without credentials is reported here, by brs, rather than as
	// an SDK error somewhere in the command's output.
	r, err := h.Role(role)
	if err != nil {
		return c.fetchFailed(err)
	}
	if _, err := c.credentials(ctx, r); err != nil {
		return c.fetchFailed(err)
	}
	token, err := endpoint.NewToken()
	if err != nil {
		return c.errorf("%v", err)
	}
	handler, err := endpoint.NewHandler(h, token, []string{role}, endpoint.WithLogger(c.logger.Named("endpoint")))
	if err != nil {
		return c.errorf("%v", err)
	}
	srv, err := endpoint.Start("127.0.0.1:0", handler)
	if err != nil {
		return c.errorf("%v", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	region := r.Region()
	if region == "" && !keepAWSConfig {
		// The command will not see the AWS config file: hand it the region the
		// default chain finds there (or in AWS_REGION) now.
		if cfg, err := r.AWSConfig(ctx); err == nil {
			region = cfg.Region
		}
	}
	if keepAWSConfig {
		if profile, found := profileCredentials(c.lookupEnv); len(found) > 0 {
			fmt.Fprintf(c.stderr, "brs: warning: --keep-aws-config: AWS profile %q has credential settings (%s), which AWS SDKs use before "+
				"the endpoint: %s may not run with role %q; remove them from the profile, or drop --keep-aws-config\n",
				profile, strings.Join(found, ", "), argv[0], role)
		}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = childEnv(c.environ(), execEnv{uri: srv.RoleURL(role), token: token, region: region, keepAWSConfig: keepAWSConfig})
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, c.stdout, rawWriter(c.stderr)
	c.logger.Debug("exec", "role", role, "command", argv[0], "endpoint", srv.RoleURL(role))
	return c.runChild(cmd)
}

// runChild starts cmd, passes signals on to it, waits for it and returns its exit
// status: its exit code, or 128+N if signal N killed it.
//
// If brs dies first, whatever kills it, the command gets SIGTERM (on Linux): its
// credentials endpoint died with brs, so it could only fail later, on expired
// credentials or refused connections, where it is harder to tell why.
func (c *cli) runChild(cmd *exec.Cmd) int {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	proc.SetParentDeathSignal(cmd, syscall.SIGTERM)
	if err := proc.Start(cmd); err != nil {
		c.errorf("exec: %v", err)
		switch {
		case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
			return exitNotFound
		default:
			return exitCannotRun
		}
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				if reachesChildItself(s) {
					c.logger.Debug("not forwarding a terminal signal: the command got it too", "signal", s)
					continue
				}
				c.logger.Debug("forwarding signal", "signal", s)
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	if err == nil {
		return exitOK
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return c.errorf("exec: %v", err)
	}
	return exitStatus(ee.ProcessState)
}

// rawWriter returns the writer behind a lockedWriter, so that a child process writes
// straight to brs's stderr (a terminal stays a terminal) instead of through a pipe.
func rawWriter(w io.Writer) io.Writer {
	if lw, ok := w.(*lockedWriter); ok {
		return lw.w
	}
	return w
}
