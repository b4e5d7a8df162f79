package sso

import (
	"context"
	"sync"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/hashicorp/go-hclog"

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

	mu sync.Mutex
	// locks holds one lock per cache file: renewing a token spends its refresh
	// token, so two roles of one SSO session must not renew it at once.
	locks map[string]chan struct{}
	// renewed holds the last token this process renewed per cache file, for when the
	// file could not be written (a read-only ~/.aws): it is used while it is newer
	// than the file's.
	renewed map[string]*cachedToken
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
		locks:      make(map[string]chan struct{}),
		renewed:    make(map[string]*cachedToken),
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// lock takes the lock of the cache file at path, or gives up when ctx ends.
func (r *Refresher) lock(ctx context.Context, path string) (unlock func(), err error) {
	r.mu.Lock()
	l, ok := r.locks[path]
	if !ok {
		l = make(chan struct{}, 1)
		r.locks[path] = l
	}
	r.mu.Unlock()
	select {
	case l <- struct{}{}:
		return func() { <-l }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// remember records a token this process renewed.
func (r *Refresher) remember(path string, t *cachedToken) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.renewed[path] = t
}

// remembered returns the token this process last renewed for path, if any.
func (r *Refresher) remembered(path string) *cachedToken {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.renewed[path]
}
