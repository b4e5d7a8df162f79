package session

import (
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/shared"
)

// Refresher is the STS GetSessionToken source. It implements shared.Refresher and is
// safe for concurrent use. Create one with New.
type Refresher struct {
	httpClient *awshttp.BuildableClient
	// openKeyring opens the keyring a role's keyring attribute reads from.
	openKeyring func() (*keyring.Store, error)

	mu sync.Mutex
	// defaults caches the AWS config per profile and region, so that the shared files
	// are read once rather than at every refresh.
	defaults map[configKey]aws.Config
}

var _ shared.Refresher = (*Refresher)(nil)

// New returns a GetSessionToken source that reads the keyring the environment names
// (BRS_KEYRING_BACKEND, BRS_KEYRING_PASSPHRASE, BRS_KEYRING_DIR).
func New() *Refresher {
	return &Refresher{
		httpClient:  awshttp.NewBuildableClient(),
		openKeyring: func() (*keyring.Store, error) { return keyring.Open(keyring.Options{}) },
		defaults:    make(map[configKey]aws.Config),
	}
}
