package host

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/brs-go/brs/internal/config"
)

// Reload loads prev's file again, as Load does, and hands over to the new host every
// role whose definition did not change (same source, settings, decoded config block,
// plugin command and arguments and sha256, and source_role chain): such a role keeps
// its cached credentials, its refresh schedule and its plugin process. Roles that were
// added or changed start afresh.
//
// When the file no longer loads, Reload returns the *LoadError and prev is untouched:
// it keeps running as it was.
//
// On success prev must not be Closed: call retire once nothing uses prev any more. It
// stops prev's roles and plugins that the new host did not take over, and returns what
// went wrong doing so, as Close does. Both hosts share
// one redactor, so a secret known to either is redacted from the logs of both.
func Reload(ctx context.Context, prev *Host, opts ...Option) (next *Host, retire func() error, err error) {
	o := newOptions(slices.Concat([]Option{WithEnviron(prev.environ)}, opts, []Option{withRedactor(prev.redact)}))
	file, diags := config.Parse(prev.path, config.WithEnviron(o.environ))
	if diags.HasErrors() {
		return nil, nil, &LoadError{Diagnostics: diags, files: filesOf(file)}
	}
	next, err = load(ctx, file, diags, o)
	if err != nil {
		return nil, nil, err
	}

	// Plugins whose command did not change: keep the running process, stop the one
	// Load started to validate the file.
	keptPlugins := map[*pluginProc]bool{}
	for name, np := range next.plugins {
		op := prev.plugins[name]
		if op == nil || !samePlugin(op, np) {
			continue
		}
		_ = np.close()
		next.plugins[name] = op
		keptPlugins[op] = true
		for _, r := range next.roles {
			if r.plugin == np {
				r.plugin = op
			}
		}
	}

	// Roles: unchanged() checks the whole source_role chain of each.
	keptRoles := map[*Role]bool{}
	for _, name := range next.order {
		nr := next.roles[name]
		or := prev.roles[name]
		if or == nil || !unchanged(or, nr) {
			continue
		}
		nr.cache.Close()
		next.roles[name] = or
		keptRoles[or] = true
	}
	// Changed roles whose source_role was kept sign with the kept role's credentials.
	for _, name := range next.order {
		r := next.roles[name]
		if keptRoles[r] || r.cfg.SourceRole == "" {
			continue
		}
		r.parent = next.roles[r.cfg.SourceRole]
	}
	next.logger.Debug("reloaded", "path", next.path, "roles", len(next.order), "roles_kept", len(keptRoles), "plugins_kept", len(keptPlugins))

	retire = func() error {
		for _, r := range prev.roles {
			if !keptRoles[r] && r.cache != nil {
				r.cache.Close()
			}
		}
		var errs []error
		for _, name := range slices.Sorted(maps.Keys(prev.plugins)) {
			if p := prev.plugins[name]; !keptPlugins[p] {
				if err := p.close(); err != nil {
					errs = append(errs, err)
				}
			}
		}
		return errors.Join(errs...)
	}
	return next, retire, nil
}

// samePlugin reports whether two refreshers run the same binary the same way (same
// arguments, same environment, same pinned sha256).
// In-process refreshers are never the same: the host cannot tell whether they are.
func samePlugin(a, b *pluginProc) bool {
	return !a.inProc && !b.inProc && a.name == b.name && a.path == b.path &&
		slices.Equal(a.args, b.args) && slices.Equal(a.env, b.env) && slices.Equal(a.environ, b.environ) && bytes.Equal(a.checksum, b.checksum)
}

// unchanged reports whether the role b declares is the role a: same settings, same
// decoded config, same plugin, and a source_role that is unchanged too.
func unchanged(a, b *Role) bool {
	ac, bc := a.cfg, b.cfg
	if a.source != b.source || ac.Region != bc.Region || ac.Endpoint != bc.Endpoint ||
		ac.SourceRole != bc.SourceRole || ac.Advisory != bc.Advisory ||
		ac.Mandatory != bc.Mandatory || ac.Timeout != bc.Timeout ||
		!bytes.Equal(a.config, b.config) || !samePlugin(a.plugin, b.plugin) {
		return false
	}
	if (a.parent == nil) != (b.parent == nil) {
		return false
	}
	return a.parent == nil || unchanged(a.parent, b.parent)
}

// withRedactor makes the host redact with rd instead of a redactor of its own.
func withRedactor(rd *redactor) Option { return func(o *options) { o.redactor = rd } }
