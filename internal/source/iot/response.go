package iot

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

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
func parseCredentials(body []byte, where string) (shared.Credentials, error) {
	var doc credentialsDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "GET %s: the answer (HTTP 200, %d bytes) is not a JSON credentials document: %s; check endpoint",
			where, len(body), jsonProblem(err))
	}
	c := doc.Credentials
	if c == nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "GET %s: the answer has no \"credentials\" object; check endpoint", where)
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
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "GET %s: the answer's credentials lack %s", where, strings.Join(missing, ", "))
	}
	exp, err := time.Parse(time.RFC3339, c.Expiration)
	if err != nil {
		return shared.Credentials{}, shared.Retryable("InvalidResponse", "GET %s: the answer's expiration is not an RFC 3339 time such as 2026-01-02T15:04:05Z", where)
	}
	if t := time.Now(); !exp.After(t) {
		return shared.Credentials{}, shared.Retryable("ExpiredCredentials", "GET %s: the credentials provider returned credentials that expired at %s (now %s); check this machine's clock",
			where, exp.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
	}
	return shared.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Expires:         exp.UTC(),
	}, nil
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
