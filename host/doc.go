// Package host is the library that applications embed to use brs: it loads roles from an
// HCL file, launches the refresher plugins they name, and hands out
// aws.CredentialsProviders that keep themselves fresh in the background.
//
//	h, err := host.Load(ctx, "brs.hcl") // or host.LoadSource(ctx, name, bytes)
//	if err != nil {
//		return err // *host.LoadError: hcl.Diagnostics with file:line:col
//	}
//	defer h.Close() // stops every plugin process
//	cfg, err := h.AWSConfig(ctx, "analytics")
//	s3c := s3.NewFromConfig(cfg) // use for days
//
// Host.Role returns one role's handle (its provider, credentials, settings and
// status). Errors are for errors.Is and errors.As: a role name the file does not
// declare wraps ErrUnknownRole, and a role without valid credentials gives a
// *CredentialsError whose cause is the source's error.
//
// Each plugin runs as one subprocess shared by all the roles that use it; a plugin that
// crashes or hangs is replaced by a new process on the next refresh. Credentials are
// refreshed ahead of expiry, so callers do not wait on the source while valid
// credentials exist. WithRefresher runs a source in-process instead; package
// github.com/brs-go/brs/sources has the built-in sources for that.
//
// A host runs in one environment, fixed at Load: the process's as it is then, or the
// one given with WithEnviron. The file's env(), the plugin search and every plugin
// process the host starts, at Load or later, see that one, so hosts for several
// environments can run side by side in one program.
//
// A plugin binary is opened once, checked (not writable by other users; its pinned
// sha256) and run from that open file. Each plugin process is the leader of its own
// process group, killed whole when the plugin is replaced or the host closes, and it
// dies with the application however the application dies (a parent-death signal on
// Linux, end-of-file on the stdin pipe the host holds everywhere). The host does not
// make the application non-dumpable; the brs CLI does that for itself.
package host
