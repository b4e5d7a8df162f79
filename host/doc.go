// Package host is the library that applications embed to use brs: it loads roles from an
// HCL file, launches the refresher plugins they name, and hands out
// aws.CredentialsProviders that keep themselves fresh in the background.
//
//	h, err := host.Load(ctx, "brs.hcl")
//	if err != nil {
//		return err // *host.LoadError: hcl.Diagnostics with file:line:col
//	}
//	defer h.Close() // stops every plugin process
//	cfg, err := h.AWSConfig(ctx, "analytics")
//	s3c := s3.NewFromConfig(cfg) // use for days
//
// Each plugin runs as one subprocess shared by all the roles that use it; a plugin that
// crashes or hangs is replaced by a new process on the next refresh. Credentials are
// refreshed ahead of expiry, so callers do not wait on the source while valid
// credentials exist.
package host
