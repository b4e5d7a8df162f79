package process

import (
	"io"

	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/shared"
)

// Refresher is the process source. It implements shared.Refresher and is safe for
// concurrent use. Create one with New.
type Refresher struct {
	log    hclog.Logger
	stderr io.Writer // nil: os.Stderr when the command runs
}

var _ shared.Refresher = (*Refresher)(nil)

// Option configures New.
type Option func(*Refresher)

// WithLogger sets the logger that records each run (never its output). In a plugin,
// pass plugin.Logger(). The default discards the records.
func WithLogger(l hclog.Logger) Option { return func(r *Refresher) { r.log = l } }

// WithStderr sends the commands' standard error to w instead of the process's standard
// error (inside a plugin, the host's log). For tests and in-process use.
func WithStderr(w io.Writer) Option { return func(r *Refresher) { r.stderr = w } }

// New returns the process source.
func New(opts ...Option) *Refresher {
	r := &Refresher{log: hclog.NewNullLogger()}
	for _, o := range opts {
		o(r)
	}
	return r
}
