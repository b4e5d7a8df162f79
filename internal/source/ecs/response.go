package ecs

import (
	"strings"
	"time"

	"github.com/brs-go/brs/plugin/httpsource"
	"github.com/brs-go/brs/shared"
)

// credentialsDoc is a successful answer of the container credentials protocol.
type credentialsDoc struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Expiration      string `json:"Expiration"`
	AccountID       string `json:"AccountId"`
	RoleArn         string `json:"RoleArn"`
}

// parseCredentials converts a 200 answer. Its errors name what is missing or wrong,
// never a value: the document holds the secret key and the session token.
func parseCredentials(resp *httpsource.Response) (shared.Credentials, error) {
	where := resp.Where
	var doc credentialsDoc
	if err := resp.DecodeJSON(&doc); err != nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "%s: the answer (HTTP 200, %d bytes) is not a JSON credentials document: %v; "+
			"check that uri is a container credentials endpoint", where, len(resp.Body), err)
	}
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"AccessKeyId", doc.AccessKeyID}, {"SecretAccessKey", doc.SecretAccessKey},
		{"Token", doc.Token}, {"Expiration", doc.Expiration},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "%s: the answer lacks %s; "+
			"a container credentials endpoint must return AccessKeyId, SecretAccessKey, Token and Expiration", where, strings.Join(missing, ", "))
	}
	exp, err := time.Parse(time.RFC3339, doc.Expiration)
	if err != nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "%s: the answer's Expiration is not an RFC 3339 time such as 2026-01-02T15:04:05Z", where)
	}
	if t := time.Now(); !exp.After(t) {
		return shared.Credentials{}, shared.Retryable("ExpiredCredentials", "%s: the endpoint returned credentials that expired at %s (now %s); "+
			"the agent may be failing to refresh them, or a clock is wrong", where, exp.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
	}
	creds := shared.Credentials{
		AccessKeyID:     doc.AccessKeyID,
		SecretAccessKey: doc.SecretAccessKey,
		SessionToken:    doc.Token,
		Expires:         exp.UTC(),
		AccountID:       doc.AccountID,
		ARN:             doc.RoleArn,
	}
	if creds.AccountID == "" {
		creds.AccountID = accountID(doc.RoleArn)
	}
	return creds, nil
}

// accountID returns the account of an ARN such as arn:aws:iam::123456789012:role/NAME,
// or "" if it has none.
func accountID(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || len(parts[4]) != 12 {
		return ""
	}
	return parts[4]
}
