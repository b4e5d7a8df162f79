package rolesanywhere

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/brs-go/brs/shared"
)

// sessionDoc is CreateSession's answer.
type sessionDoc struct {
	CredentialSet []struct {
		AssumedRoleUser *struct {
			Arn string `json:"arn"`
		} `json:"assumedRoleUser"`
		Credentials *struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SessionToken    string `json:"sessionToken"`
			Expiration      string `json:"expiration"`
		} `json:"credentials"`
	} `json:"credentialSet"`
}

// parseCredentials converts a 2xx answer. Its errors name what is missing or wrong,
// never a value: the document holds the secret key and the session token.
func parseCredentials(body []byte, where string, now time.Time) (shared.Credentials, error) {
	var doc sessionDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "POST %s: the answer (HTTP 2xx, %d bytes) is not a CreateSession document: %s; check endpoint",
			where, len(body), jsonProblem(err))
	}
	if len(doc.CredentialSet) == 0 || doc.CredentialSet[0].Credentials == nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "POST %s: the answer has no credentialSet[0].credentials; check endpoint", where)
	}
	c := doc.CredentialSet[0].Credentials
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
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "POST %s: the answer's credentials lack %s", where, strings.Join(missing, ", "))
	}
	exp, err := time.Parse(time.RFC3339, c.Expiration)
	if err != nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "POST %s: the answer's expiration is not an ISO 8601 time such as 2026-01-02T15:04:05Z", where)
	}
	if !exp.After(now) {
		return shared.Credentials{}, shared.Retryable("ExpiredCredentials", "POST %s: Roles Anywhere returned credentials that expired at %s (now %s); check this machine's clock",
			where, exp.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	creds := shared.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Expires:         exp.UTC(),
	}
	if u := doc.CredentialSet[0].AssumedRoleUser; u != nil && len(u.Arn) <= 2048 && strings.HasPrefix(u.Arn, "arn:") {
		creds.ARN = u.Arn
		if parts := strings.SplitN(u.Arn, ":", 6); len(parts) == 6 && len(parts[4]) == 12 {
			creds.AccountID = parts[4]
		}
	}
	return creds, nil
}

// jsonProblem describes a decoding error without the text it quotes from the input.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "invalid JSON near byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		if te.Field == "" {
			return "the document is a JSON " + te.Value + ", not an object"
		}
		return "field " + te.Field + " is a JSON " + te.Value + ", not of the expected type"
	}
	return "invalid JSON"
}
