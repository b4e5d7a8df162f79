package iot

import "github.com/brs-go/brs/shared"

// Refresher is the AWS IoT credentials provider source. It implements shared.Refresher
// and is safe for concurrent use. Create one with New.
type Refresher struct{}

var _ shared.Refresher = (*Refresher)(nil)

// New returns an AWS IoT credentials provider source.
func New() *Refresher { return &Refresher{} }
