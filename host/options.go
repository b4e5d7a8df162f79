package host

import (
	"os"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/shared"
)

// Option configures Load.
type Option func(*options)

type options struct {
	logger     hclog.Logger
	pluginDirs []string
	pluginEnv  []string
	// environ is the host's environment (WithEnviron, else os.Environ at Load), and
	// getenv reads it.
	environ        []string
	getenv         func(string) string
	refreshers     map[string]shared.Refresher
	clock          Clock
	onRefresh      func(RefreshEvent)
	refreshTimeout time.Duration
	startTimeout   time.Duration
	redactor       *redactor // Reload's: shared with the host it replaces
	installDir     string
	lock           *lockState // brs.lock.hcl, read once per load
	only           []string
}

// Clock is the time source of the cache and the scheduler. Tests substitute a fake one
// to move time instead of waiting for it.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed and returns a function
	// that cancels the call.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// WithLogger sets the logger for the host and for the plugins' re-logged output. Known
// secrets are redacted from everything written through it. The default writes
// warnings and errors to standard error (as go-plugin's default logger does), so that
// a failing plugin or a reattached one is never silent; hclog.NewNullLogger() discards
// everything.
func WithLogger(l hclog.Logger) Option { return func(o *options) { o.logger = l } }

// defaultLogger is the logger of a host given none: warnings and errors, on the
// process's standard error as it is when the host loads.
func defaultLogger() hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Name: "brs", Level: hclog.Warn, Output: os.Stderr})
}

// WithPluginDir adds a directory searched for brs-plugin-NAME binaries, before
// $BRS_PLUGIN_DIR, the running executable's directory and $PATH. Repeatable.
func WithPluginDir(dir string) Option {
	return func(o *options) { o.pluginDirs = append(o.pluginDirs, dir) }
}

// WithPluginEnv adds "KEY=value" entries to the environment of every plugin process,
// over the host's own environment (WithEnviron), which plugins inherit. Repeatable.
func WithPluginEnv(env ...string) Option {
	return func(o *options) { o.pluginEnv = append(o.pluginEnv, env...) }
}

// WithRefresher runs source name in-process with r instead of launching a plugin. It
// takes precedence over plugin blocks and discovery. Package
// github.com/brs-go/brs/sources has the built-in sources as Refreshers.
func WithRefresher(name string, r shared.Refresher) Option {
	return func(o *options) {
		if o.refreshers == nil {
			o.refreshers = map[string]shared.Refresher{}
		}
		o.refreshers[name] = r
	}
}

// WithRefreshers is WithRefresher for every entry of rs, by source name (such as
// sources.All()).
func WithRefreshers(rs map[string]shared.Refresher) Option {
	return func(o *options) {
		for name, r := range rs {
			WithRefresher(name, r)(o)
		}
	}
}

// WithClock replaces the system clock.
func WithClock(c Clock) Option { return func(o *options) { o.clock = c } }

// WithOnRefresh calls f after every refresh attempt of every role, for metrics and
// progress output, before the callers waiting for that refresh get its result. f must
// not block.
func WithOnRefresh(f func(RefreshEvent)) Option { return func(o *options) { o.onRefresh = f } }

// WithRefreshTimeout bounds each call to a source (default 30s). A plugin that does not
// answer in time is killed and replaced by a new process on the next refresh.
func WithRefreshTimeout(d time.Duration) Option { return func(o *options) { o.refreshTimeout = d } }

// WithStartTimeout bounds a plugin's start and handshake (default DefaultStartTimeout).
func WithStartTimeout(d time.Duration) Option { return func(o *options) { o.startTimeout = d } }

// RefreshEvent describes one finished refresh attempt.
type RefreshEvent struct {
	Role, Source string
	// Background is true when the scheduler started the refresh ahead of expiry.
	Background bool
	// AccessKeyID and Expires describe the new credentials; empty on failure.
	AccessKeyID string
	Expires     time.Time
	// Err is the failure, or nil.
	Err error
	// Took is how long the refresh took.
	Took time.Duration
}

// WithOnly has Load set up only the named roles and the roles their source_role
// chains name, for a program that needs a few roles of a large file: the whole file
// is parsed, and an error Parse finds anywhere in it still fails Load, but only those
// roles' sources are started and only their config blocks are decoded and validated,
// so a mistake in another role's config block, or another source that cannot start,
// does not fail Load. The host has only those roles (Roles, Status, Plugins). Naming a
// role the file does not declare fails Load with an error wrapping ErrUnknownRole.
// Repeatable; without it Load sets up every role.
func WithOnly(roles ...string) Option {
	return func(o *options) { o.only = append(o.only, roles...) }
}
