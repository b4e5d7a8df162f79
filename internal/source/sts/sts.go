package sts

import (
	"github.com/brs-go/brs/internal/source/internal/awsbase"
	"github.com/brs-go/brs/shared"
)

// Refresher is the STS AssumeRole source. It implements shared.Refresher and is safe for
// concurrent use. Create one with New.
type Refresher struct {
	// base finds the credentials that sign AssumeRole, and caches the AWS config per
	// profile and region.
	base *awsbase.Loader
}

var _ shared.Refresher = (*Refresher)(nil)

// New returns an STS AssumeRole source with empty caches.
func New() *Refresher {
	return &Refresher{base: awsbase.NewLoader()}
}
