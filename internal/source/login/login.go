package login

import (
	"context"
	"sync"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/shared"
)

// Refresher is the `aws login` source. It implements shared.Refresher and is safe for
// concurrent use. Create one with New.
type Refresher struct {
	logger hclog.Logger
	clock  clock.Clock
	// httpClient sends the sign-in calls, so that successive refreshes reuse
	// connections.
	httpClient *awshttp.BuildableClient
	// writeToken saves a renewed token; a field so that a test can make it fail.
	writeToken func(path string, t *cachedToken) error

	mu sync.Mutex
	// locks holds one lock per cache file: a renewal spends the refresh token, so two
	// roles of one session must not renew it at once.
	locks map[string]chan struct{}
	// renewed holds the last token this process renewed per cache file, for when the
	// file could not be written: the refresh token in the file is spent.
	renewed map[string]*cachedToken
}

var _ shared.Refresher = (*Refresher)(nil)

// Option configures New.
type Option func(*Refresher)

// WithLogger sets the logger for what the source does on its own (renewing the
// session's credentials, failing to save them). The default discards everything.
// Nothing logged holds a token, a key or a credential.
func WithLogger(l hclog.Logger) Option { return func(r *Refresher) { r.logger = l } }

// WithClock sets the clock that decides when credentials need renewing and stamps
// DPoP proofs; the default is the system clock.
func WithClock(c clock.Clock) Option { return func(r *Refresher) { r.clock = c } }

// New returns an `aws login` source.
func New(opts ...Option) *Refresher {
	r := &Refresher{
		logger:     hclog.NewNullLogger(),
		clock:      clock.Real{},
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
