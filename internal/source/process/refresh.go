package process

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/brs-go/brs/internal/source/internal/respond"
	"github.com/brs-go/brs/internal/source/internal/shellcmd"
	"github.com/brs-go/brs/shared"
)

// maxOutput caps the standard output kept: credential_process JSON is a few hundred
// bytes, and a command that prints more is not printing credentials.
const maxOutput = 64 << 10

// Refresh runs the role's command and returns the credentials it prints. Errors are
// *shared.Error: permanent when the command fails, times out or prints something
// else than credential_process JSON (the host asks again after a while, rather than
// running a failing, perhaps interactive, command over and over), retryable when the
// refresh was cancelled.
func (r *Refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	return respond.Credentials(r.refresh(ctx, req))
}

// refresh is Refresh with the credentials as a value.
func (r *Refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	s, ds := parseConfig(req.Config)
	if ds.HasErrors() {
		return shared.Credentials{}, invalidConfig(ds)
	}
	if req.Source != nil {
		return shared.Credentials{}, shared.Permanent("SourceRoleUnsupported",
			"the process source gets its credentials from its command and cannot use a source_role's; remove source_role from the role")
	}
	start := time.Now()
	out, err := shellcmd.Run(ctx, shellcmd.Command{
		Line:      s.Command,
		Dir:       s.Dir,
		Inherit:   s.Inherit,
		Env:       shellcmd.EnvPairs(s.Env),
		Timeout:   s.timeout,
		MaxOutput: maxOutput,
		Stderr:    r.stderr,
		Redact:    redactSecrets,
	})
	if err != nil {
		r.log.Debug("command failed", "role", req.Role, "took", time.Since(start).String(), "error", err)
		return shared.Credentials{}, runError(ctx, err, s)
	}
	creds, err := parseOutput(out, time.Now())
	if err != nil {
		return shared.Credentials{}, err
	}
	r.log.Debug("command printed credentials", "role", req.Role, "took", time.Since(start).String(),
		"access_key_id", creds.AccessKeyID, "expires", expiresString(creds))
	return creds, nil
}

// redactSecrets is how the command's standard error is cleaned before it reaches the
// log: it is held until the command ends, and the secret key and session token it
// printed on standard output are replaced. The host redacts them too, once it has the
// answer; this covers what reaches the log before or without an answer.
func redactSecrets(stderr, stdout []byte) []byte {
	var doc document
	if json.Unmarshal(stdout, &doc) != nil {
		return stderr
	}
	for _, s := range []string{doc.SecretAccessKey, doc.SessionToken} {
		if len(s) >= 8 {
			stderr = bytes.ReplaceAll(stderr, []byte(s), []byte("[REDACTED]"))
		}
	}
	return stderr
}

// runError explains why the command gave no output to read.
func runError(ctx context.Context, err error, s settings) *shared.Error {
	var timeout *shellcmd.TimeoutError
	var exit *shellcmd.ExitError
	var start *shellcmd.StartError
	switch {
	case ctx.Err() != nil:
		msg := "the refresh was cancelled while command ran, and command was killed"
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			msg = "the refresh's deadline passed while command ran, and command was killed; if it needs longer, " +
				"raise the role's refresh { timeout } (30s by default) as well as timeout"
		}
		return shared.Retryable("Canceled", "%s", msg)
	case errors.As(err, &timeout):
		return shared.Permanent("CommandTimeout",
			"command %v, with everything it started; raise timeout if it needs longer, and see its standard error in the brs log", timeout)
	case errors.As(err, &exit):
		return shared.Permanent("CommandFailed", "command %v; its standard error is in the brs log", exit)
	case errors.As(err, &start) && s.Dir != "":
		return shared.Permanent("CommandFailed", "command %v; check dir", start)
	case errors.As(err, &start):
		return shared.Permanent("CommandFailed", "command %v", start)
	case errors.Is(err, shellcmd.ErrOutputTooLarge):
		return invalidOutput("command printed more than %d KiB on standard output", maxOutput>>10)
	}
	return shared.Permanent("CommandFailed", "command failed: %v", err)
}

// invalidConfig is the error for a config that Validate would have refused; the host
// validates before it refreshes, so this only happens to callers that skip that.
func invalidConfig(ds shared.Diagnostics) *shared.Error {
	msg := "invalid process config:"
	for _, d := range ds {
		if d.Severity != shared.SeverityError {
			continue
		}
		if d.Attribute != "" {
			msg += " " + d.Attribute + ":"
		}
		msg += " " + d.Summary + ": " + d.Detail
	}
	return shared.Permanent("InvalidConfig", "%s", msg)
}

// expiresString formats the expiry for the log.
func expiresString(c shared.Credentials) string {
	if !c.CanExpire() {
		return "never"
	}
	return c.Expires.Format(time.RFC3339)
}
