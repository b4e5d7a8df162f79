package iot

import (
	"strings"
	"time"

	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

// credentialsDoc is the credentials provider's answer.
type credentialsDoc struct {
	Credentials *struct {
		AccessKeyID     string `json:"accessKeyId"`
		SecretAccessKey string `json:"secretAccessKey"`
		SessionToken    string `json:"sessionToken"`
		Expiration      string `json:"expiration"`
	} `json:"credentials"`
}

// parseCredentials converts a 200 answer. Its errors name what is missing or wrong,
// never a value: the document holds the secret key and the session token.
func parseCredentials(resp *httpsource.Response) (shared.Credentials, error) {
	where := resp.Where
	var doc credentialsDoc
	if err := resp.DecodeJSON(&doc); err != nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "%s: the answer (HTTP 200, %d bytes) is not a JSON credentials document: %v; check endpoint",
			where, len(resp.Body), err)
	}
	c := doc.Credentials
	if c == nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "%s: the answer has no \"credentials\" object; check endpoint", where)
	}
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"accessKeyId", c.AccessKeyID}, {"secretAccessKey", c.SecretAccessKey},
		{"sessionToken", c.SessionToken}, {"expiration", c.Expiration},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "%s: the answer's credentials lack %s", where, strings.Join(missing, ", "))
	}
	exp, err := time.Parse(time.RFC3339, c.Expiration)
	if err != nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "%s: the answer's expiration is not an RFC 3339 time such as 2026-01-02T15:04:05Z", where)
	}
	if t := time.Now(); !exp.After(t) {
		return shared.Credentials{}, shared.Retryable("ExpiredCredentials", "%s: the credentials provider returned credentials that expired at %s (now %s); check this machine's clock",
			where, exp.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
	}
	return shared.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Expires:         exp.UTC(),
	}, nil
}
