package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/brs-go/brs/shared"
)

// processCredentials is the JSON document a credential_process command prints, as the
// AWS CLI and SDKs read it.
type processCredentials struct {
	Version         int    `json:"Version"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken,omitempty"`
	Expiration      string `json:"Expiration,omitempty"`
}

// credentialProcessJSON returns creds as a credential_process document, newline
// terminated.
func credentialProcessJSON(creds shared.Credentials) ([]byte, error) {
	doc := processCredentials{
		Version:         1,
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		SessionToken:    creds.SessionToken,
	}
	if creds.CanExpire() {
		doc.Expiration = creds.Expires.UTC().Format(time.RFC3339)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// runCredentialProcess is `brs credential-process ROLE`.
func runCredentialProcess(ctx context.Context, c *cli, args []string) int {
	role := args[0]
	if ar, code, handled := c.fromAgent(ctx, role); handled {
		if ar == nil {
			return code
		}
		return c.writeCredentialProcess(role, ar.creds)
	}
	h, _, code := c.load(ctx)
	if h == nil {
		return code
	}
	defer h.Close()
	for _, d := range h.Warnings() {
		c.logger.Warn("config warning: " + d.Error())
	}
	creds, err := h.Credentials(ctx, role)
	if err != nil {
		return c.errorf("%v", err)
	}
	return c.writeCredentialProcess(role, creds)
}

// writeCredentialProcess prints creds as credential_process JSON.
func (c *cli) writeCredentialProcess(role string, creds shared.Credentials) int {
	out, err := credentialProcessJSON(creds)
	if err != nil {
		return c.errorf("role %q: encoding the credentials: %v", role, err)
	}
	if _, err := c.stdout.Write(out); err != nil {
		return c.errorf("writing the credentials to stdout: %v", err)
	}
	return exitOK
}
