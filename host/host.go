package host

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/internal/cache"
	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/internal/config"
	"github.com/brs-go/brs/shared"
)

// secretsKept is how many refreshes' secrets of each role the log redactor remembers.
const secretsKept = 8

// DefaultStartTimeout bounds a plugin's start and handshake. A plugin starts in tens
// of milliseconds; one that takes seconds is broken, and callers should hear so.
const DefaultStartTimeout = 5 * time.Second

// Host holds the roles of one configuration file and the plugins behind them. It is
// safe for concurrent use. Close it to stop the plugin processes.
type Host struct {
	path     string
	logger   hclog.Logger
	redact   *redactor
	roles    map[string]*Role
	order    []string
	plugins  map[string]*pluginProc
	warnings hcl.Diagnostics
	files    map[string]*hcl.File
	clock    clock.Clock
	closed   atomic.Bool
	fileEnv  fileEnvironment // what the file makes its roles read: see Environment
	environ  []string        // the environment it runs in (WithEnviron)
}

// LoadError is returned by Load when the configuration is invalid or a plugin cannot be
// used. Every diagnostic carries the file, line and column it is about.
type LoadError struct {
	// Diagnostics are the problems found, errors and warnings.
	Diagnostics hcl.Diagnostics
	files       map[string]*hcl.File
}

// Error lists the error diagnostics, one per line, as file:line,col: summary; detail.
func (e *LoadError) Error() string {
	var b strings.Builder
	for _, d := range e.Diagnostics {
		if d.Severity != hcl.DiagError {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// Unwrap returns the diagnostics, so errors.As(err, &diags) works with hcl.Diagnostics.
func (e *LoadError) Unwrap() error { return e.Diagnostics }

// WriteText prints the diagnostics with the source lines they point at.
func (e *LoadError) WriteText(w io.Writer, color bool) error {
	return config.WriteDiagnostics(w, e.files, e.Diagnostics, color)
}

// Load reads the HCL file at path, starts the plugin of every source its roles name,
// decodes each role's config block against its plugin's schema and has the plugin
// validate it. It calls no AWS API: credentials are fetched on first use. On failure
// it stops what it started and returns a *LoadError.
//
// Load reports every problem it can find in one go: a role whose block has errors is
// skipped, and the others are still decoded and validated by their plugins, several
// at a time. WithOnly limits all this to some roles.
func Load(ctx context.Context, path string, opts ...Option) (*Host, error) {
	o := newOptions(opts)
	if o.only != nil {
		file, diags := config.ParseOnly(path, o.only, config.WithEnviron(o.environ))
		return load(ctx, file, diags, o)
	}
	file, diags := config.Parse(path, config.WithEnviron(o.environ))
	return load(ctx, file, diags, o)
}

// LoadSource is Load for a configuration held in memory (embedded in the program,
// fetched from elsewhere). filename names it in diagnostics, and file() reads paths
// relative to its directory.
func LoadSource(ctx context.Context, filename string, src []byte, opts ...Option) (*Host, error) {
	o := newOptions(opts)
	if o.only != nil {
		file, diags := config.ParseSourceOnly(src, filename, o.only, config.WithEnviron(o.environ))
		return load(ctx, file, diags, o)
	}
	file, diags := config.ParseSource(src, filename, config.WithEnviron(o.environ))
	return load(ctx, file, diags, o)
}

// RoleNames returns the names of the roles the file at path declares, in file order,
// without starting any plugin or checking the roles' config blocks: for listings such
// as shell completion. It returns a *LoadError when the file cannot be parsed; the
// names of the roles read before the error are returned with it.
func RoleNames(path string) ([]string, error) {
	file, diags := config.Parse(path)
	var names []string
	if file != nil {
		for _, rc := range file.Roles {
			names = append(names, rc.Name)
		}
	}
	if diags.HasErrors() {
		return names, &LoadError{Diagnostics: diags, files: filesOf(file)}
	}
	return names, nil
}

// sourcesOf returns the source text of every file f was read from, without the syntax
// trees (which print the block a diagnostic is in, and hold a third of the live heap
// at 100,000 roles).
func sourcesOf(f *config.File) map[string]*hcl.File {
	out := map[string]*hcl.File{}
	for name, hf := range f.Files() {
		out[name] = &hcl.File{Bytes: hf.Bytes}
	}
	return out
}

func filesOf(f *config.File) map[string]*hcl.File {
	if f == nil {
		return nil
	}
	return f.Files()
}

// load builds a host from a parsed file in four steps: start the plugins, check the
// roles against them, keep the warnings, build the roles' caches. Every mistake found
// is reported, not just the first.
func load(ctx context.Context, file *config.File, diags hcl.Diagnostics, o options) (*Host, error) {
	roles := file.Roles
	if o.only != nil {
		if diags.HasErrors() {
			// An error in the roles asked for, their chains or the plugin blocks
			// (config.ParseOnly reads no others) fails Load: nothing needs starting
			// to say so.
			return nil, &LoadError{Diagnostics: sortDiags(diags), files: file.Files()}
		}
		var err error
		if roles, err = selectRoles(file, o.only); err != nil {
			return nil, err
		}
	}
	h := newHost(file, &o)
	schemas, unusable, more := h.startPlugins(ctx, file, roles, &o)
	more = append(more, h.checkRoles(ctx, roles, schemas, unusable, &o)...)
	if diags.HasErrors() || more.HasErrors() {
		_ = h.Close() // what failed is the configuration; the diagnostics say it
		return nil, &LoadError{Diagnostics: h.redactDiags(sortDiags(append(diags, more...))), files: file.Files()}
	}
	h.keepWarnings(file, append(diags, more...))
	h.buildRoles(&o)
	h.logger.Debug("loaded", "path", file.Path, "roles", len(h.order), "plugins", len(h.plugins))
	return h, nil
}

// selectRoles returns the roles named in only and the roles their source_role chains
// name, in file order, or an error wrapping ErrUnknownRole for a name the file does
// not declare.
func selectRoles(file *config.File, only []string) ([]*config.Role, error) {
	want := map[*config.Role]bool{}
	for _, name := range only {
		rc := file.Role(name)
		if rc == nil {
			return nil, &unknownRoleError{name: name, path: file.Path, roles: file.RoleNames()}
		}
		// Parse has checked that every source_role names a role and that the chain
		// has no cycle; want bounds the walk all the same.
		for ; rc != nil && !want[rc]; rc = file.Role(rc.SourceRole) {
			want[rc] = true
		}
	}
	out := make([]*config.Role, 0, len(want))
	for _, rc := range file.Roles {
		if want[rc] {
			out = append(out, rc)
		}
	}
	return out, nil
}

// newOptions applies opts over the defaults.
func newOptions(opts []Option) options {
	o := options{refreshTimeout: cache.DefaultTimeout, startTimeout: DefaultStartTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = defaultLogger()
	}
	if o.clock == nil {
		o.clock = clock.Real{}
	}
	if o.redactor == nil {
		o.redactor = newRedactor()
	}
	if o.environ == nil {
		o.environ = os.Environ()
	}
	o.getenv = getenvIn(o.environ)
	return o
}

// newHost returns a host with no roles and no plugins yet, whose redactor already
// knows what env() and file() returned outside config blocks (a plugin may quote the
// region or endpoint in an error).
func newHost(file *config.File, o *options) *Host {
	o.redactor.set("file", file.Sensitive()...)
	return &Host{
		path:    file.Path,
		logger:  &redactingLogger{Logger: o.logger, rd: o.redactor},
		redact:  o.redactor,
		roles:   map[string]*Role{},
		plugins: map[string]*pluginProc{},
		clock:   o.clock,
		environ: o.environ,
	}
}

// startPlugins starts the refresher of every source the valid roles name, once per
// source, and asks it for its schema. A source that cannot be used is reported once,
// at its first role, and returned in unusable; the other sources are still started.
func (h *Host) startPlugins(ctx context.Context, file *config.File, roles []*config.Role, o *options) (schemas map[string]shared.Schema, unusable map[string]bool, diags hcl.Diagnostics) {
	schemas, unusable = map[string]shared.Schema{}, map[string]bool{}
	for _, rc := range roles {
		if rc.Invalid {
			continue // Parse has reported it
		}
		if _, done := h.plugins[rc.Source]; done || unusable[rc.Source] {
			continue
		}
		if pb := file.Plugins[rc.Source]; pb != nil && pb.Invalid {
			unusable[rc.Source] = true // Parse has reported the plugin block
			continue
		}
		schema, d := h.startPlugin(ctx, file, rc, o)
		if d != nil {
			diags = append(diags, d)
			unusable[rc.Source] = true
			continue
		}
		schemas[rc.Source] = schema
	}
	return schemas, unusable, diags
}

// startPlugin finds, starts and asks for its schema the refresher of rc's source.
func (h *Host) startPlugin(ctx context.Context, file *config.File, rc *config.Role, o *options) (shared.Schema, *hcl.Diagnostic) {
	p, d := h.plugin(file, rc, o)
	if d != nil {
		return shared.Schema{}, d
	}
	h.plugins[rc.Source] = p
	if _, _, err := p.get(); err != nil {
		d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Plugin failed to start", Detail: h.redact.String(err.Error()), Subject: rc.SourceRange.Ptr()}
		var ce *checksumError
		if pb := file.Plugins[rc.Source]; pb != nil && errors.As(err, &ce) {
			d.Summary, d.Subject = "Plugin checksum mismatch", pb.SHA256Range.Ptr()
			if pb.Source != "" {
				d.Detail = fmt.Sprintf("The installed binary of plugin %q at %s is not the one brs.lock.hcl pins: it was changed after \"brs plugins install\" checked it. brs refuses to run it. Run \"brs plugins install\" to install the locked release again.", pb.Name, p.path)
			}
		}
		return shared.Schema{}, d
	}
	var schema shared.Schema
	err := h.callLoad(ctx, p, o.startTimeout, "GetSchema", func(ctx context.Context, r shared.Refresher) error {
		resp, err := r.Schema(ctx, &shared.SchemaRequest{})
		if err != nil {
			return err
		}
		if resp == nil {
			return shared.Permanent("InvalidResponse", "%s: Schema returned neither a schema nor an error", p.describe())
		}
		if err := shared.CheckSchemaResponse(resp); err != nil {
			return shared.Permanent("InvalidSchema", "%s declares a schema that brs cannot use (a bug in the source): %v", p.describe(), err)
		}
		schema, p.schema, p.environment = resp.Schema, resp.Schema, resp.Environment
		return nil
	})
	if err != nil {
		return shared.Schema{}, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Plugin failed",
			Detail:   h.redact.String(err.Error()),
			Subject:  rc.SourceRange.Ptr(),
		}
	}
	return schema, nil
}

// validateWorkers bounds the ValidateConfig calls in flight at Load: enough to keep a
// plugin process and the host busy while each call crosses the process boundary, few
// enough not to queue thousands of calls on one plugin.
const validateWorkers = 8

// checkRoles decodes and validates every role of roles whose source could be started,
// with up to validateWorkers roles at a time (a Refresher is safe for concurrent use),
// and adds each role without errors to the host, in file order.
func (h *Host) checkRoles(ctx context.Context, roles []*config.Role, schemas map[string]shared.Schema, unusable map[string]bool, o *options) hcl.Diagnostics {
	todo := make([]*config.Role, 0, len(roles))
	for _, rc := range roles {
		if !rc.Invalid && !unusable[rc.Source] {
			todo = append(todo, rc)
		}
	}
	type checked struct {
		role  *Role
		diags hcl.Diagnostics
	}
	results := make([]checked, len(todo))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(validateWorkers, len(todo)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(todo) {
					return
				}
				rc := todo[i]
				results[i].role, results[i].diags = h.checkRole(ctx, rc, schemas[rc.Source], o)
			}
		})
	}
	wg.Wait()
	var diags hcl.Diagnostics
	for _, c := range results {
		diags = append(diags, c.diags...)
		if c.role != nil {
			h.roles[c.role.name] = c.role
			h.order = append(h.order, c.role.name)
		}
	}
	return diags
}

// checkRole decodes rc's config block against its source's schema and has the plugin
// validate it. It returns the role, or nil when the block has errors.
func (h *Host) checkRole(ctx context.Context, rc *config.Role, schema shared.Schema, o *options) (*Role, hcl.Diagnostics) {
	p := h.plugins[rc.Source]
	dec, diags := config.DecodeConfig(rc, schema)
	// The body's syntax tree is not needed past here; dropping it lets the tree of
	// the whole file be collected (a third of the live heap at 100,000 roles).
	rc.Config = hcl.EmptyBody()
	if diags.HasErrors() {
		return nil, diags
	}
	// The sensitive values and what env() and file() returned, before the plugin can
	// quote them in a diagnostic.
	h.redact.set(rc.Name+"/config", dec.Sensitive...)
	var pds shared.Diagnostics
	err := h.callLoad(ctx, p, o.refreshTimeout, "ValidateConfig", func(ctx context.Context, r shared.Refresher) error {
		timeout := o.refreshTimeout
		if rc.Timeout > 0 {
			timeout = rc.Timeout
		}
		resp, err := r.Validate(ctx, &shared.ValidateRequest{Role: rc.Name, Config: dec.JSON, Region: rc.Region, Endpoint: rc.Endpoint,
			HasSourceRole: rc.SourceRole != "", RefreshTimeout: timeout})
		if resp != nil {
			pds = resp.Diagnostics
		}
		return err
	})
	if err != nil {
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Plugin failed", Detail: h.redact.String(err.Error()),
			Subject: rc.SourceRange.Ptr(),
		})
	}
	for _, pd := range pds {
		sev := hcl.DiagError
		if pd.Severity == shared.SeverityWarning {
			sev = hcl.DiagWarning
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: sev, Summary: h.redact.String(pd.Summary), Detail: h.redact.String(pd.Detail),
			Subject: dec.Range(pd.Attribute).Ptr(),
		})
	}
	// A role the plugin found errors in is still added: Load fails as a whole.
	return &Role{name: rc.Name, source: rc.Source, cfg: rc, plugin: p, config: dec.JSON}, diags
}

// keepWarnings keeps the (redacted) warnings of a successful load, and the files they
// point at to print them with.
func (h *Host) keepWarnings(file *config.File, diags hcl.Diagnostics) {
	h.warnings, h.files = h.redactDiags(diags), file.Files()
	h.fileEnv.names, h.fileEnv.dynamic = file.Environment()
	if len(h.warnings) == 0 {
		// Nothing to print: keep the source text, not the syntax trees.
		h.files = sourcesOf(file)
	}
}

// buildRoles links each role to its source_role and gives it its cache. The refresh
// windows were checked by config; their defaults are the cache's.
func (h *Host) buildRoles(o *options) {
	for _, name := range h.order {
		r := h.roles[name]
		if r.cfg.SourceRole != "" {
			r.parent = h.roles[r.cfg.SourceRole]
		}
		timeout := o.refreshTimeout
		if r.cfg.Timeout > 0 {
			timeout = r.cfg.Timeout
		}
		r.cache = cache.New(h.refreshFunc(r), cache.Options{
			Name: r.name, Source: r.source,
			Advisory: r.cfg.Advisory, Mandatory: r.cfg.Mandatory,
			Timeout: timeout, Clock: o.clock,
			OnRefresh: h.onRefresh(r, o.onRefresh),
			// The cache is the role's provider (Role.Provider): it returns the
			// public error type itself.
			RetrieveError: credentialsError,
			// A caller who can answer a source's prompt refreshes at once.
			CanAnswer: canAnswer,
		})
	}
}

// sortDiags puts diags in source order, as Parse's are, so that the diagnostics of
// all roles read from top to bottom.
func sortDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
	return diags
}

// redactDiags removes known secrets from the summaries and details of diags: a
// diagnostic may quote a value that env() or file() returned, such as a source name or
// a plugin command.
func (h *Host) redactDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		d.Summary = h.redact.String(d.Summary)
		d.Detail = h.redact.String(d.Detail)
	}
	return diags
}

// plugin resolves the refresher of rc's source: WithRefresher, a plugin block, or a
// brs-plugin-NAME binary found by discovery.
func (h *Host) plugin(file *config.File, rc *config.Role, o *options) (*pluginProc, *hcl.Diagnostic) {
	name := rc.Source
	if r, ok := o.refreshers[name]; ok {
		return inProcess(name, r), nil
	}
	g := &gate{}
	notice := h.logger.Named("plugin")
	g.onDrop = func(n int) {
		notice.Warn("plugin log lines dropped: the plugin logged more while a call was in flight than brs holds until the call's secrets are known",
			"plugin", name, "lines", n)
	}
	p := &pluginProc{name: name, logger: h.logger.(*redactingLogger).withGate(g).Named("plugin"), logGate: g, startTimeout: o.startTimeout,
		env: o.pluginEnv, environ: o.environ, getenv: o.getenv}
	if pb, ok := file.Plugins[name]; ok {
		if pb.Source != "" {
			if d := o.installed(file, pb, p); d != nil {
				return nil, d
			}
			return p, nil
		}
		p.path, p.args, p.checksum = pb.Command, pb.Args, pb.SHA256
		if !strings.ContainsRune(pb.Command, filepath.Separator) {
			path, searched := discover(pb.Command, o.pluginDirs, o.getenv)
			if path == "" {
				return nil, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Plugin not found",
					Detail: fmt.Sprintf("No executable %q for plugin %q in %s. Give command as a path, or put the executable in one of those directories; %s.",
						pb.Command, name, strings.Join(searched, ", "), pointAtPlugins),
					Subject: pb.CommandRange.Ptr(),
				}
			}
			p.path, p.discovered = path, true
		}
		return p, nil
	}
	path, searched := discover("brs-plugin-"+name, o.pluginDirs, o.getenv)
	if path == "" {
		known := slices.Collect(maps.Keys(file.Plugins))
		known = append(known, slices.Collect(maps.Keys(o.refreshers))...)
		known = append(known, availableSources(o.pluginDirs, o.getenv)...)
		known = append(known, builtinSources...)
		slices.Sort(known)
		known = slices.Compact(known)
		detail := fmt.Sprintf("No plugin provides source %q: there is no plugin %q block, and no brs-plugin-%s binary in %s.",
			name, name, name, strings.Join(searched, ", "))
		if s := config.Suggest(name, known); s != "" {
			detail = fmt.Sprintf("There is no source %q: no plugin %q block, and no brs-plugin-%s binary where brs looks for plugins. Did you mean %q?",
				name, name, name, s)
		} else {
			detail += " For the built-in sources (" + strings.Join(builtinSources, ", ") + "), run \"go install ./cmd/...\" in a brs checkout: " +
				"it puts them in $GOBIN, else $GOPATH/bin, else ~/go/bin, where brs looks for them; " + pointAtPlugins +
				". For another source, add a plugin \"" + name + "\" block with its command."
		}
		return nil, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown credential source",
			Detail:   detail,
			Subject:  rc.SourceRange.Ptr(),
		}
	}
	p.path, p.discovered = path, true
	return p, nil
}

// pointAtPlugins says how to have brs search another directory for plugins.
const pointAtPlugins = "to have brs search another directory, give it with --plugin-dir or $BRS_PLUGIN_DIR (host.WithPluginDir in a program)"

// callLoad runs one call of Load against a plugin with a deadline.
func (h *Host) callLoad(ctx context.Context, p *pluginProc, limit time.Duration, what string, fn func(context.Context, shared.Refresher) error) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return p.call(ctx, what, func(r shared.Refresher) error { return fn(ctx, r) })
}

// refreshFunc is the cache's way to fetch r's credentials: chain through source_role
// if set, call the plugin (asking the caller's prompter what the source needs
// answered, see ContextWithPrompter), and redact whatever comes back.
func (h *Host) refreshFunc(r *Role) cache.RefreshFunc {
	return func(ctx context.Context, prev *shared.Credentials) (shared.Credentials, error) {
		req := &shared.RefreshRequest{
			Role: r.name, Config: r.config, Region: r.cfg.Region, Endpoint: r.cfg.Endpoint, Previous: prev,
		}
		if r.parent != nil {
			src, err := r.parent.cache.Credentials(ctx)
			if err != nil {
				return shared.Credentials{}, sourceRoleError(r.parent.name, err)
			}
			req.Source = &src
		}
		var creds shared.Credentials
		var err error
		var asked []shared.Prompt
		for round := 1; ; round++ {
			err = h.callRefresh(ctx, r, req, &creds)
			se := inputRequired(err)
			p := prompterFrom(ctx)
			if se == nil || p == nil || round > maxPromptRounds {
				break
			}
			asked = se.Prompts
			if req.Answers, err = h.ask(ctx, p, r.name, se); err != nil {
				break
			}
		}
		if err != nil {
			se := shared.AsError(err)
			out := &shared.Error{Code: se.Code, Message: h.redact.String(se.Message), Retryable: se.Retryable, Prompts: se.Prompts}
			if out.Prompts == nil {
				// A refresh that failed after asking (a mistyped code): the next
				// caller who can ask tries again at once, as a new brs would.
				out.Prompts = asked
			}
			return shared.Credentials{}, out
		}
		return creds, nil
	}
}

// callRefresh asks r's plugin for credentials, into *creds.
func (h *Host) callRefresh(ctx context.Context, r *Role, req *shared.RefreshRequest, creds *shared.Credentials) error {
	return r.plugin.call(ctx, "Refresh", func(impl shared.Refresher) error {
		resp, err := impl.Refresh(ctx, req)
		if err == nil && resp == nil {
			err = shared.Permanent("InvalidResponse", "%s: Refresh returned neither credentials nor an error", r.plugin.describe())
		}
		if err == nil {
			*creds = resp.Credentials
			// Known before the plugin's log lines of this call are written. The
			// secrets of the last 8 refreshes are kept: a plugin's stderr reaches
			// the host asynchronously and may lag behind later refreshes.
			h.redact.add(r.name, 2*secretsKept, creds.SecretAccessKey, creds.SessionToken)
		}
		return err
	})
}

func (h *Host) onRefresh(r *Role, user func(RefreshEvent)) func(cache.Event) {
	return func(e cache.Event) {
		switch {
		case e.Err != nil && !e.Background && !h.stillValid(r):
			// The callers waiting for this refresh get the error, and say it: a
			// warning here would say it twice.
			h.logger.Debug("refresh failed", "role", r.name, "source", r.source, "background", false, "error", e.Err)
		case e.Err != nil:
			// Nobody waits for a background refresh, and callers keep using valid
			// cached credentials: the log is where the failure shows.
			h.logger.Warn("refresh failed", "role", r.name, "source", r.source, "background", e.Background, "error", e.Err)
		default:
			h.logger.Info("refreshed", "role", r.name, "source", r.source, "background", e.Background,
				"access_key_id", e.AccessKeyID, "expires", e.Expires.UTC().Format(time.RFC3339), "took", e.Took)
		}
		if user != nil {
			user(RefreshEvent{Role: r.name, Source: r.source, Background: e.Background,
				AccessKeyID: e.AccessKeyID, Expires: e.Expires, Err: e.Err, Took: e.Took})
		}
	}
}

// stillValid reports whether r holds credentials that have not expired, which callers
// get while a refresh fails.
func (h *Host) stillValid(r *Role) bool {
	exp := r.cache.Status().Expires
	return !exp.IsZero() && h.clock.Now().Before(exp)
}

// Role returns the role called name, or an error wrapping ErrUnknownRole.
func (h *Host) Role(name string) (*Role, error) {
	if h == nil {
		return nil, errors.New("brs: nil host")
	}
	r, ok := h.roles[name]
	if !ok {
		return nil, &unknownRoleError{name: name, path: h.path, roles: h.order}
	}
	return r, nil
}

// Roles returns the names of the roles, in file order.
func (h *Host) Roles() []string { return append([]string(nil), h.order...) }

// Warnings returns the warning diagnostics Load found.
func (h *Host) Warnings() hcl.Diagnostics { return h.warnings }

// WriteWarnings prints the warnings with the source lines they point at.
func (h *Host) WriteWarnings(w io.Writer, color bool) error {
	return config.WriteDiagnostics(w, h.files, h.warnings, color)
}

// Provider returns the credentials provider of a role: see Role.Provider.
func (h *Host) Provider(name string) (aws.CredentialsProvider, error) {
	r, err := h.Role(name)
	if err != nil {
		return nil, err
	}
	return r.Provider(), nil
}

// AWSConfig returns an aws.Config for a role: see Role.AWSConfig.
func (h *Host) AWSConfig(ctx context.Context, name string, optFns ...func(*awsconfig.LoadOptions) error) (aws.Config, error) {
	r, err := h.Role(name)
	if err != nil {
		return aws.Config{}, err
	}
	return r.AWSConfig(ctx, optFns...)
}

// Credentials returns a role's valid credentials with their real expiry: see
// Role.Credentials.
func (h *Host) Credentials(ctx context.Context, name string) (shared.Credentials, error) {
	r, err := h.Role(name)
	if err != nil {
		return shared.Credentials{}, err
	}
	return r.Credentials(ctx)
}

// Refresh fetches new credentials for a role now: see Role.Refresh.
func (h *Host) Refresh(ctx context.Context, name string) error {
	r, err := h.Role(name)
	if err != nil {
		return err
	}
	return r.Refresh(ctx)
}

// Status returns the state of every role, in file order.
func (h *Host) Status() []RoleStatus {
	out := make([]RoleStatus, 0, len(h.order))
	for _, name := range h.order {
		out = append(out, h.roles[name].Status())
	}
	return out
}

// PluginInfo describes one source's refresher.
type PluginInfo struct {
	Name string
	// Path is the plugin binary; empty for an in-process refresher.
	Path string
	Args []string
	// SHA256 is the pinned checksum from the plugin block, hex; empty if none.
	SHA256 string
	// ProtocolVersion is the refresher protocol version negotiated with the plugin.
	ProtocolVersion int
	// PluginName and PluginVersion are what the plugin says it is (protocol 2 and
	// later); empty for in-process refreshers and protocol 1 plugins.
	PluginName, PluginVersion string
	// SDKVersion is the version of the brs plugin SDK the plugin was built with;
	// empty for in-process refreshers and plugins built before SDK 1.1.
	SDKVersion string
	// PID is the running process, 0 if none runs; Starts counts processes started.
	PID, Starts int
	// Reattached is true when the host attached to a plugin started by hand in debug
	// mode ($BRS_REATTACH_PLUGINS) instead of running Path: no sha256 pin applies.
	Reattached bool
	// Roles are the roles using the source.
	Roles []string
}

// Plugins describes the refreshers behind the roles, by source name.
func (h *Host) Plugins() []PluginInfo {
	var out []PluginInfo
	for name, p := range h.plugins {
		p.mu.Lock()
		info := PluginInfo{Name: name, Path: p.path, Args: p.args, SHA256: hex.EncodeToString(p.checksum),
			ProtocolVersion: p.info.Protocol, PluginName: p.info.Name, PluginVersion: p.info.Version, SDKVersion: p.info.SDKVersion, Starts: p.starts,
			Reattached: p.reattached}
		p.mu.Unlock()
		info.PID = p.PID()
		for _, rn := range h.order {
			if h.roles[rn].source == name {
				info.Roles = append(info.Roles, rn)
			}
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Close stops background refreshes and every plugin process, and waits for the
// processes to exit. Providers return errors afterwards. It returns what went wrong
// while stopping, such as a plugin that did not exit when asked and had to be killed;
// everything is stopped either way. Closing a closed host does nothing and returns nil.
func (h *Host) Close() error {
	if h == nil || !h.closed.CompareAndSwap(false, true) {
		return nil
	}
	for _, r := range h.roles {
		if r.cache != nil {
			r.cache.Close()
		}
	}
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(h.plugins)) {
		if err := h.plugins[name].close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// builtinSources are the sources brs ships as brs-plugin-NAME binaries (cmd/...), for
// the advice given when no plugin provides a role's source.
var builtinSources = []string{"sts", "session", "web_identity", "sso", "login", "process", "ecs", "iot", "saml", "roles_anywhere"}
