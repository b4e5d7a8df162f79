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

	"github.com/brs-go/brs/internal/atomicfile"
	"github.com/brs-go/brs/internal/endpoint"
)

// serveOptions are the flags of brs serve.
type serveOptions struct {
	listen    string
	tokenFile string
	tokenDir  string
	perRole   bool
}

// setupServe is `brs serve [--listen ADDR] [--token-file PATH | --token-per-role |
// --token-dir DIR] [ROLE…]`.
func setupServe(fs *flag.FlagSet) runFunc {
	var o serveOptions
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback address; port 0 picks a free one")
	fs.StringVar(&o.tokenFile, "token-file", "", "write the token, one for every role, to PATH (mode 0600) for other processes")
	fs.BoolVar(&o.perRole, "token-per-role", false, "give each role its own token, which reaches only that role")
	fs.StringVar(&o.tokenDir, "token-dir", "", "give each role its own token, written to DIR/ROLE (mode 0600); implies --token-per-role")
	return func(ctx context.Context, c *cli, args []string) int {
		return runServe(ctx, c, args, o)
	}
}

// runServe serves the roles until ctx ends (SIGINT or SIGTERM, in main).
func runServe(ctx context.Context, c *cli, roles []string, o serveOptions) int {
	if o.tokenDir != "" {
		o.perRole = true
	}
	if o.tokenFile != "" && o.perRole {
		return c.commandUsageError(lookupCommand("serve"),
			"serve: --token-file gives every role the same token, --token-per-role and --token-dir give each role its own: use one of them")
	}
	// Listen first: a bad or busy address is refused before any plugin starts.
	// Connections wait in the listener's queue until the endpoint serves.
	ln, err := endpoint.Listen(o.listen)
	if err != nil {
		return c.errorf("serve: %v", err)
	}
	defer ln.Close()

	h, _, code := c.load(ctx)
	if h == nil {
		return code
	}
	defer c.closeHost(h)
	c.warnConfig(h)
	if len(roles) == 0 {
		roles = h.Roles()
	}
	tokens, err := newTokens(roles, o.perRole)
	if err != nil {
		return c.errorf("%v", err)
	}
	handler, err := endpoint.NewPerRoleHandler(h, tokens, endpoint.WithLogger(c.logger.Named("endpoint")))
	if err != nil {
		return c.errorf("serve: %v", err)
	}
	// Fetch every role once: problems show now, not at a client's first request.
	errs := c.fetchAll(ctx, h, roles)
	for _, role := range slices.Sorted(maps.Keys(errs)) {
		fmt.Fprintln(c.stderr, termSafeLines(brsMessage(fmt.Sprintf("warning: %v; serving role %q anyway: its requests fail until the source recovers", errs[role], role))))
	}
	if ctx.Err() != nil {
		return exitOK
	}
	files := tokenFiles(roles, o)
	written := map[string]bool{}
	for _, role := range slices.Sorted(maps.Keys(files)) {
		path := files[role]
		if written[path] {
			continue // --token-file: one file for every role
		}
		written[path] = true
		if err := writeTokenFile(path, tokens[role]); err != nil {
			return c.errorf("serve: writing the token file: %v", err)
		}
		// Removed at exit, and when a later one cannot be written.
		defer os.Remove(path)
	}
	srv := endpoint.Serve(ln, handler)
	if _, err := fmt.Fprint(c.stdout, serveBanner(srv, roles, tokens, files, o.perRole)); err != nil {
		c.logger.Warn("writing the variables to stdout", "error", err)
	}
	c.logger.Info("serving", "address", srv.Addr(), "roles", strings.Join(roles, ","), "token_per_role", o.perRole)

	<-ctx.Done()
	fmt.Fprintln(c.stderr, "brs: serve: stopping: waiting for requests in progress, then stopping the plugins")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		c.logger.Warn("shutting the endpoint down", "error", err)
	}
	return exitOK
}

// newTokens returns each role's token: a new one per role with perRole, else one new
// token for them all.
func newTokens(roles []string, perRole bool) (map[string]string, error) {
	tokens := make(map[string]string, len(roles))
	shared := ""
	for _, r := range roles {
		if _, ok := tokens[r]; ok {
			continue
		}
		if shared != "" {
			tokens[r] = shared
			continue
		}
		tok, err := endpoint.NewToken()
		if err != nil {
			return nil, err
		}
		tokens[r] = tok
		if !perRole {
			shared = tok
		}
	}
	return tokens, nil
}

// tokenFiles returns the file that holds each role's token: DIR/ROLE with --token-dir,
// the one --token-file for every role, or none. Role names are safe file names: the
// config allows letters, digits, '_', '.' and '-', and a letter or digit first.
func tokenFiles(roles []string, o serveOptions) map[string]string {
	files := map[string]string{}
	for _, r := range roles {
		switch {
		case o.tokenDir != "":
			files[r] = filepath.Join(o.tokenDir, r)
		case o.tokenFile != "":
			files[r] = o.tokenFile
		}
	}
	return files
}

// serveBanner is what brs serve prints on stdout: the variables a program needs. files
// holds the token files, if any, by role; perRole says each role has its own token.
func serveBanner(srv *endpoint.Server, roles []string, tokens, files map[string]string, perRole bool) string {
	tokenLine := func(role string) string {
		if f := files[role]; f != "" {
			return "export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=" + shellQuote(f) + "\n"
		}
		return "export AWS_CONTAINER_AUTHORIZATION_TOKEN=" + tokens[role] + "\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# brs serve: credentials on %s until SIGINT or SIGTERM.\n", srv.URL())
	b.WriteString("# A program uses a role with the token and the role's URI, and without\n")
	b.WriteString("# AWS_ACCESS_KEY_ID, AWS_PROFILE or credentials in its ~/.aws files, which AWS SDKs\n")
	b.WriteString("# try first (brs exec removes them for you).\n")
	if perRole {
		b.WriteString("# Each role has its own token, which reaches only that role.\n")
	} else {
		b.WriteString(tokenLine(roles[0]))
	}
	for i, r := range roles {
		fmt.Fprintf(&b, "# role %s:\n", r)
		prefix := ""
		if i > 0 {
			prefix = "# " // one role at a time; the others for copying
		}
		fmt.Fprintf(&b, "%sexport AWS_CONTAINER_CREDENTIALS_FULL_URI=%s\n", prefix, srv.RoleURL(r))
		if perRole {
			b.WriteString(prefix + tokenLine(r))
		}
	}
	return b.String()
}

// writeTokenFile writes token to path with mode 0600, atomically: into a temporary file
// in the same directory, renamed over path, so a reader never sees half a token. No
// newline follows the token: the SDKs send the file's content as it is, and refuse a
// token with a newline.
func writeTokenFile(path, token string) error {
	return atomicfile.WriteFile(path, []byte(token), 0o600)
}
