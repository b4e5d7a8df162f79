package process

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/brs-go/brs/shared"
)

// document is the credential_process JSON, as the AWS CLI and SDKs define it. Field
// names match case-insensitively, as in the AWS SDK for Go.
type document struct {
	Version         *int   `json:"Version"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
	AccountID       string `json:"AccountId"`
}

// parseOutput turns the command's standard output into credentials. now is the time
// the command finished. No error repeats any of out: it holds secrets.
func parseOutput(out []byte, now time.Time) (shared.Credentials, error) {
	if len(bytes.TrimSpace(out)) == 0 {
		return shared.Credentials{}, invalidOutput("command printed nothing on standard output")
	}
	var doc document
	if err := json.Unmarshal(out, &doc); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return shared.Credentials{}, invalidOutput("command's output is not a JSON object (invalid at byte %d of %d)", syn.Offset, len(out))
		case errors.As(err, &typ) && typ.Field == "":
			return shared.Credentials{}, invalidOutput("command's output is not a JSON object")
		case errors.As(err, &typ):
			// typ.Value may hold the value itself; name its field and type only.
			return shared.Credentials{}, invalidOutput("command's output has a %s that is not a %s", typ.Field, jsonKind(typ))
		}
		return shared.Credentials{}, invalidOutput("command's output is not valid credential_process JSON")
	}
	switch {
	case doc.Version == nil:
		return shared.Credentials{}, invalidOutput(`command's output has no Version; credential_process JSON must have "Version": 1`)
	case *doc.Version != 1:
		return shared.Credentials{}, invalidOutput("command's output has Version %d; brs understands Version 1 only", *doc.Version)
	case doc.AccessKeyID == "":
		return shared.Credentials{}, invalidOutput("command's output has no AccessKeyId")
	case doc.SecretAccessKey == "":
		return shared.Credentials{}, invalidOutput("command's output has no SecretAccessKey")
	}
	creds := shared.Credentials{
		AccessKeyID:     doc.AccessKeyID,
		SecretAccessKey: doc.SecretAccessKey,
		SessionToken:    doc.SessionToken,
		AccountID:       doc.AccountID,
	}
	if doc.Expiration != "" {
		exp, err := time.Parse(time.RFC3339, doc.Expiration)
		if err != nil {
			return shared.Credentials{}, invalidOutput("command's output has an Expiration that is not an RFC 3339 time such as 2026-01-02T15:04:05Z")
		}
		if !exp.After(now) {
			return shared.Credentials{}, shared.Permanent("ExpiredCredentials",
				"the credentials command printed expired at %s, %v ago; if it caches credentials, make it fetch new ones",
				exp.UTC().Format(time.RFC3339), now.Sub(exp).Round(time.Second))
		}
		creds.Expires = exp.UTC()
	}
	return creds, nil
}

// jsonKind names the JSON type a field should have had.
func jsonKind(e *json.UnmarshalTypeError) string {
	t := e.Type
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Int {
		return "number"
	}
	return t.Kind().String()
}

// invalidOutput is the error for output that is not credential_process JSON: a bug or
// a misconfiguration of the command, which trying again will not fix.
func invalidOutput(format string, args ...any) *shared.Error {
	return shared.Permanent("InvalidOutput", "%s", fmt.Sprintf(format, args...)+
		"; the command must print only the credential_process JSON on standard output (anything else goes to standard error)")
}
