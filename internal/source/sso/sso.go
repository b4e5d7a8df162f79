package sso

import (
	"context"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/source/internal/renewal"
	"github.com/brs-go/brs/shared"
)

// Refresher is the IAM Identity Center source. It implements shared.Refresher and is
// safe for concurrent use. Create one with New.
type Refresher struct {
	logger hclog.Logger
	// httpClient sends the portal and SSO-OIDC calls, so that successive refreshes
	// reuse connections.
	httpClient *awshttp.BuildableClient
	// writeToken saves a renewed token; a field so that a test can make it fail.
	writeToken func(path string, t *cachedToken) error

	// files holds one lock per cache file (renewing a token spends its refresh
	// token, so two roles of one SSO session must not renew it at once) and the last
	// token this process renewed per file, for when the file could not be written (a
	// read-only ~/.aws): it is used while it is newer than the file's.
	files renewal.Files[*cachedToken]
}

var _ shared.Refresher = (*Refresher)(nil)

// Option configures New.
type Option func(*Refresher)

// WithLogger sets the logger for what the source does on its own (renewing a token,
// failing to save it). The default discards everything. Nothing logged holds a token.
func WithLogger(l hclog.Logger) Option {
	return func(r *Refresher) { r.logger = l }
}

// New returns an IAM Identity Center source.
func New(opts ...Option) *Refresher {
	r := &Refresher{
		logger:     hclog.NewNullLogger(),
		httpClient: awshttp.NewBuildableClient(),
		writeToken: writeTokenFile,
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// lock takes the lock of the cache file at path, or gives up when ctx ends.
func (r *Refresher) lock(ctx context.Context, path string) (unlock func(), err error) {
	return r.files.Lock(ctx, path)
}

// remember records a token this process renewed.
func (r *Refresher) remember(path string, t *cachedToken) { r.files.Remember(path, t) }

// remembered returns the token this process last renewed for path, if any.
func (r *Refresher) remembered(path string) *cachedToken { return r.files.Remembered(path) }
