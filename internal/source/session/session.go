package session

import (
	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/internal/source/internal/awsbase"
	"github.com/brs-go/brs/shared"
)

// Refresher is the STS GetSessionToken source. It implements shared.Refresher and is
// safe for concurrent use. Create one with New.
type Refresher struct {
	// loader finds the key that signs GetSessionToken, and caches the AWS config per
	// profile and region.
	loader *awsbase.Loader
	// openKeyring opens the keyring a role's keyring attribute reads from.
	openKeyring func() (*keyring.Store, error)
}

var _ shared.Refresher = (*Refresher)(nil)

// New returns a GetSessionToken source that reads the keyring the environment names
// (BRS_KEYRING_BACKEND, BRS_KEYRING_PASSPHRASE, BRS_KEYRING_DIR).
func New() *Refresher {
	return &Refresher{
		loader:      awsbase.NewLoader(),
		openKeyring: func() (*keyring.Store, error) { return keyring.Open(keyring.Options{}) },
	}
}
