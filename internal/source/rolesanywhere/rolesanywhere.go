package rolesanywhere

import "github.com/brs-go/brs/shared"

// Refresher is the IAM Roles Anywhere source. It implements shared.Refresher and is
// safe for concurrent use. Create one with New.
type Refresher struct{}

var _ shared.Refresher = (*Refresher)(nil)

// New returns an IAM Roles Anywhere source.
func New() *Refresher { return &Refresher{} }
