// Package respond turns what a built-in source's refresh returns into the answer of
// the Refresher contract.
package respond

import "github.com/brs-go/brs/shared"

// Credentials is the RefreshResponse carrying creds, or err when the refresh failed.
func Credentials(creds shared.Credentials, err error) (*shared.RefreshResponse, error) {
	if err != nil {
		return nil, err
	}
	return &shared.RefreshResponse{Credentials: creds}, nil
}
