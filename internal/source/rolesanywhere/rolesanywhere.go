package rolesanywhere

import (
	"io"

	"github.com/brs-go/brs/shared"
)

// Refresher is the IAM Roles Anywhere source. It implements shared.Refresher and is
// safe for concurrent use. Create one with New.
type Refresher struct {
	// stderr receives passphrase_command's standard error; nil for the process's.
	stderr io.Writer
}

var _ shared.Refresher = (*Refresher)(nil)

// Option configures a Refresher.
type Option func(*Refresher)

// WithStderr sends passphrase_command's standard error to w instead of the process's
// standard error (inside a plugin, the host's log). For tests and in-process use.
func WithStderr(w io.Writer) Option { return func(r *Refresher) { r.stderr = w } }

// New returns an IAM Roles Anywhere source.
func New(opts ...Option) *Refresher {
	r := &Refresher{}
	for _, o := range opts {
		o(r)
	}
	return r
}
