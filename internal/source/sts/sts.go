package sts

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/brs-go/brs/shared"
)

// Refresher is the STS AssumeRole source. It implements shared.Refresher and is safe for
// concurrent use. Create one with New.
type Refresher struct {
	// httpClient sends the AssumeRole calls that are signed with source credentials, so
	// that successive refreshes reuse connections. Calls signed by the default chain use
	// the HTTP client of that chain's aws.Config (which honours AWS_CA_BUNDLE).
	httpClient *awshttp.BuildableClient

	mu sync.Mutex
	// defaults caches the AWS config per profile and requested region, so that shared
	// config files are read, and the base credentials fetched, once rather than on every
	// refresh; aws.Config.Credentials is an aws.CredentialsCache.
	defaults map[configKey]aws.Config
}

var _ shared.Refresher = (*Refresher)(nil)

// New returns an STS AssumeRole source with empty caches.
func New() *Refresher {
	return &Refresher{
		httpClient: awshttp.NewBuildableClient(),
		defaults:   make(map[configKey]aws.Config),
	}
}
