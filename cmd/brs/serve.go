package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/brs-go/brs/internal/endpoint"
)

// setupServe is `brs serve [--listen ADDR] [--token-file PATH] [ROLE…]`.
func setupServe(fs *flag.FlagSet) runFunc {
	listen := fs.String("listen", "127.0.0.1:0", "loopback address; port 0 picks a free one")
	tokenFile := fs.String("token-file", "", "write the token to PATH (mode 0600) for other processes")
	return func(ctx context.Context, c *cli, args []string) int {
		return runServe(ctx, c, args, *listen, *tokenFile)
	}
}

// runServe serves the roles until ctx ends (SIGINT or SIGTERM, in main).
func runServe(ctx context.Context, c *cli, roles []string, listen, tokenFile string) int {
	// Listen first: a bad or busy address is refused before any plugin starts.
	// Connections wait in the listener's queue until the endpoint serves.
	ln, err := endpoint.Listen(listen)
	if err != nil {
		return c.errorf("serve: %v", err)
	}
	defer ln.Close()

	h, _, code := c.load(ctx)
	if h == nil {
		return code
	}
	defer h.Close()
	c.warnConfig(h)
	if len(roles) == 0 {
		roles = h.Roles()
	}
	token, err := endpoint.NewToken()
	if err != nil {
		return c.errorf("%v", err)
	}
	handler, err := endpoint.NewHandler(h, token, roles, endpoint.WithLogger(c.logger.Named("endpoint")))
	if err != nil {
		return c.errorf("serve: %v", err)
	}
	// Fetch every role once: problems show now, not at a client's first request.
	errs := c.fetchAll(ctx, h, roles)
	for _, role := range slices.Sorted(maps.Keys(errs)) {
		fmt.Fprintf(c.stderr, "brs: warning: %v; serving role %q anyway: its requests fail until the source recovers\n", errs[role], role)
	}
	if ctx.Err() != nil {
		return exitOK
	}
	if tokenFile != "" {
		if err := writeTokenFile(tokenFile, token); err != nil {
			return c.errorf("serve: writing the token file: %v", err)
		}
		defer os.Remove(tokenFile)
	}
	srv := endpoint.Serve(ln, handler)
	if _, err := fmt.Fprint(c.stdout, serveBanner(srv, roles, token, tokenFile)); err != nil {
		c.logger.Warn("writing the variables to stdout", "error", err)
	}
	c.logger.Info("serving", "address", srv.Addr(), "roles", strings.Join(roles, ","))

	<-ctx.Done()
	fmt.Fprintln(c.stderr, "brs: serve: stopping: waiting for requests in progress, then stopping the plugins")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		c.logger.Warn("shutting the endpoint down", "error", err)
	}
	return exitOK
}

// serveBanner is what brs serve prints on stdout: the variables a program needs.
func serveBanner(srv *endpoint.Server, roles []string, token, tokenFile string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# brs serve: credentials on %s until SIGINT or SIGTERM.\n", srv.URL())
	b.WriteString("# A program uses a role with the token and the role's URI, and without\n")
	b.WriteString("# AWS_ACCESS_KEY_ID, AWS_PROFILE or credentials in its ~/.aws files, which AWS SDKs\n")
	b.WriteString("# try first (brs exec removes them for you).\n")
	if tokenFile != "" {
		fmt.Fprintf(&b, "export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=%s\n", shellQuote(tokenFile))
	} else {
		fmt.Fprintf(&b, "export AWS_CONTAINER_AUTHORIZATION_TOKEN=%s\n", token)
	}
	for i, r := range roles {
		fmt.Fprintf(&b, "# role %s:\n", r)
		prefix := ""
		if i > 0 {
			prefix = "# " // one URI at a time; the others for copying
		}
		fmt.Fprintf(&b, "%sexport AWS_CONTAINER_CREDENTIALS_FULL_URI=%s\n", prefix, srv.RoleURL(r))
	}
	return b.String()
}

// writeTokenFile writes token to path with mode 0600, atomically: into a temporary file
// in the same directory, renamed over path, so a reader never sees half a token. No
// newline follows the token: the SDKs send the file's content as it is, and refuse a
// token with a newline.
func writeTokenFile(path, token string) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".brs-token-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.WriteString(token); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	return nil
}
