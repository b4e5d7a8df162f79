package saml

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/shared"
)

// Refresher is the SAML source. It implements shared.Refresher and is safe for
// concurrent use. Create one with New.
type Refresher struct {
	log    hclog.Logger
	stderr io.Writer // saml_command's standard error; nil: os.Stderr when it runs

	// httpClient sends the AssumeRoleWithSAML calls, so that successive refreshes
	// reuse connections.
	httpClient *awshttp.BuildableClient

	regionOnce sync.Once
	region     string // the default AWS config's region, for roles that name none

	now     func() time.Time
	mu      sync.Mutex
	signins map[string]*signin // by settings.commandKey
}

var _ shared.Refresher = (*Refresher)(nil)

// Option configures New.
type Option func(*Refresher)

// WithLogger sets the logger that records each refresh (never the assertion). In a
// plugin, pass plugin.Logger(). The default discards the records.
func WithLogger(l hclog.Logger) Option { return func(r *Refresher) { r.log = l } }

// WithStderr sends saml_command's standard error to w instead of the process's
// standard error (inside a plugin, the host's log). For tests and in-process use.
func WithStderr(w io.Writer) Option { return func(r *Refresher) { r.stderr = w } }

// New returns the SAML source.
func New(opts ...Option) *Refresher {
	r := &Refresher{log: hclog.NewNullLogger(), httpClient: awshttp.NewBuildableClient(), now: time.Now, signins: map[string]*signin{}}
	for _, o := range opts {
		o(r)
	}
	return r
}

// fallbackRegion is used when neither the role nor the default AWS config names a
// region; STS answers in every region, and us-east-1 is where the global endpoint is.
const fallbackRegion = "us-east-1"

// regionFor returns the region to call STS in: the role's, else the default AWS
// config's (AWS_REGION, the profile's region), else fallbackRegion.
func (r *Refresher) regionFor(ctx context.Context, req *shared.RefreshRequest) string {
	if req.Region != "" {
		return req.Region
	}
	r.regionOnce.Do(func() {
		// The default config only lends its region here: the call is not signed, so
		// failing to load the rest of it is no reason to fail a refresh.
		if cfg, err := awsconfig.LoadDefaultConfig(context.WithoutCancel(ctx)); err == nil {
			r.region = cfg.Region
		}
	})
	if r.region == "" {
		return fallbackRegion
	}
	return r.region
}

// anonymous is the credentials provider of the STS client: AssumeRoleWithSAML is not
// signed.
var anonymous aws.CredentialsProvider = aws.AnonymousCredentials{}
