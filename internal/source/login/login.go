package login

import (
	"context"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/internal/source/internal/renewal"
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

	// files holds one lock per cache file (a renewal spends the refresh token, so two
	// roles of one session must not renew it at once) and the last token this process
	// renewed per file, for when the file could not be written: the refresh token in
	// the file is spent.
	files renewal.Files[*cachedToken]
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
