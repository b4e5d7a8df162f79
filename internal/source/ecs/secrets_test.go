package ecs_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/source/ecs"
)

// TestNoSecretInErrors provokes every kind of failure with a token the endpoint
// echoes back and an answer full of secrets, and checks that no error message holds
// the token, the secret key or the session token.
func TestNoSecretInErrors(t *testing.T) {
	const (
		fileToken = "token-from-the-file-0123456789"
		secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
		session   = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN"
	)
	// echo answers status with an error document that quotes the request's token in
	// its message, and in its code if the token looks like one.
	echo := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]string{
				"code":    r.Header.Get("Authorization"),
				"message": "token " + r.Header.Get("Authorization") + " is not valid; secret " + secretKey,
			})
		}
	}
	answer := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }
	}
	handlers := map[string]http.HandlerFunc{
		"401 echo":      echo(http.StatusUnauthorized),
		"403 echo":      echo(http.StatusForbidden),
		"500 echo":      echo(http.StatusInternalServerError),
		"not JSON":      answer("AccessKeyId=ASIAX&SecretAccessKey=" + secretKey + "&Token=" + session),
		"bad JSON":      answer(`{"SecretAccessKey": "` + secretKey + `", "Token": "` + session + `"`),
		"wrong type":    answer(`{"SecretAccessKey": "` + secretKey + `", "Token": ["` + session + `"]}`),
		"no expiration": answer(`{"AccessKeyId": "ASIAX", "SecretAccessKey": "` + secretKey + `", "Token": "` + session + `"}`),
		"bad expiry":    answer(`{"AccessKeyId": "ASIAX", "SecretAccessKey": "` + secretKey + `", "Token": "` + session + `", "Expiration": "` + secretKey + `"}`),
	}
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(fileToken), 0o600); err != nil {
		t.Fatal(err)
	}
	secrets := []string{secretToken, fileToken, secretKey, session, "s3cr3t", "EXAMPLEKEY"}
	for name, h := range handlers {
		srv := httptest.NewServer(h)
		for _, attrs := range []map[string]string{
			{"uri": srv.URL, "token": secretToken},
			{"uri": srv.URL, "token_file": tokenFile},
		} {
			_, err := refresh(t, ecs.New(), attrs)
			if err == nil {
				t.Errorf("%s: Refresh succeeded", name)
				continue
			}
			for _, s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("%s: error %q holds the secret %q", name, err, s)
				}
			}
		}
		srv.Close()
	}
}
