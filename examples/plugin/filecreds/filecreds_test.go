package filecreds_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"example.com/brs-plugin-file/filecreds"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// The secrets every test file holds; no error or log line may contain them.
const (
	secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	token  = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
)

// writeFile writes content to a file in a fresh directory and returns its path.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "credentials.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// request is a refresh request for a role whose config block is cfg, as JSON.
func request(cfg string) *shared.RefreshRequest {
	return &shared.RefreshRequest{Role: "sidecar", Config: shared.Config(cfg)}
}

func pathConfig(path string) string {
	return `{"path": ` + quote(path) + `}`
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"` }

func TestSchema(t *testing.T) {
	s := plugintest.CheckSchema(t, filecreds.New(nil))
	for _, name := range []string{"path", "url", "token"} {
		if a, ok := s.Attribute(name); !ok || a.Required || a.Type != shared.TypeString || a.Sensitive != (name == "token") {
			t.Errorf("%s = %+v, %v; want an optional string, sensitive if it is the token", name, a, ok)
		}
	}
	maxAge, ok := s.Attribute("max_age")
	if !ok || maxAge.Required || maxAge.Type != shared.TypeDuration || maxAge.Min != time.Second {
		t.Errorf("max_age = %+v, %v; want an optional duration of at least 1s", maxAge, ok)
	}
	if len(s.Attributes) != 4 {
		t.Errorf("schema has %d attributes, want 4", len(s.Attributes))
	}
}

func TestValidate(t *testing.T) {
	r := plugintest.Connect(t, filecreds.New(nil))
	for _, tc := range []struct {
		name, cfg string
		// want is "" for no diagnostic, else severity:attribute:summary.
		want string
	}{
		{"absolute path", `{"path": "/run/secrets/aws.json"}`, ""},
		{"max_age", `{"path": "/run/secrets/aws.json", "max_age": "15m"}`, ""},
		{"relative path", `{"path": "aws.json"}`, "warning:path:Relative path"},
		{"empty path", `{"path": ""}`, "error:path:Empty path"},
		{"bad max_age", `{"path": "/a.json", "max_age": "soon"}`, "error:max_age:Invalid duration"},
		{"zero max_age", `{"path": "/a.json", "max_age": "0s"}`, "error:max_age:Duration out of range"},
		{"negative max_age", `{"path": "/a.json", "max_age": "-5m"}`, "error:max_age:Duration out of range"},
		{"url", `{"url": "https://creds.example.com/aws", "token": "t0ken"}`, ""},
		{"url on this machine", `{"url": "http://127.0.0.1:9911/aws"}`, ""},
		{"neither", `{}`, "error:path:Empty path"},
		{"both", `{"path": "/a.json", "url": "https://x/aws"}`, "error:url:Both path and url"},
		{"http to another machine", `{"url": "http://10.0.0.1/aws"}`, "error:url:Plain http to another machine"},
		{"not a URL", `{"url": "creds.example.com/aws"}`, "error:url:Invalid url"},
		{"user in url", `{"url": "https://u:p@x/aws"}`, "error:url:Credentials in url"},
		{"token without url", `{"path": "/a.json", "token": "t0ken"}`, "error:token:Token without url"},
		{"max_age with url", `{"url": "https://x/aws", "max_age": "1m"}`, "error:max_age:max_age with url"},
		{"unknown attribute", `{"path": "/a.json", "mode": "x"}`, "error::Invalid config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := r.Validate(context.Background(), &shared.ValidateRequest{Role: "sidecar", Config: shared.Config(tc.cfg)})
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			var got []string
			for _, d := range resp.Diagnostics {
				sev := "error"
				if d.Severity == shared.SeverityWarning {
					sev = "warning"
				}
				got = append(got, sev+":"+d.Attribute+":"+d.Summary)
				if d.Detail == "" {
					t.Errorf("diagnostic %q has no detail", d.Summary)
				}
			}
			if tc.want == "" && len(got) != 0 || tc.want != "" && (len(got) != 1 || got[0] != tc.want) {
				t.Errorf("diagnostics %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRefresh(t *testing.T) {
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	path := writeFile(t, `{"Version": 1, "AccessKeyId": "ASIAEXAMPLE1", "SecretAccessKey": "`+secret+`",
		"SessionToken": "`+token+`", "Expiration": "`+exp.Format(time.RFC3339)+`", "AccountId": "111122223333"}`)
	var logs bytes.Buffer
	log := hclog.New(&hclog.LoggerOptions{Level: hclog.Trace, Output: &logs})
	r := plugintest.Connect(t, filecreds.New(log))

	resp, err := r.Refresh(context.Background(), request(`{"path": `+quote(path)+`, "max_age": "1m"}`))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	creds := resp.Credentials
	want := shared.Credentials{AccessKeyID: "ASIAEXAMPLE1", SecretAccessKey: secret, SessionToken: token, Expires: exp, AccountID: "111122223333"}
	if creds != want {
		t.Errorf("Refresh = %#v (secret ok %v, token ok %v), want %#v",
			creds, creds.SecretAccessKey == secret, creds.SessionToken == token, want)
	}
	if !strings.Contains(logs.String(), "ASIAEXAMPLE1") {
		t.Errorf("the debug log does not name the access key id:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), secret) || strings.Contains(logs.String(), token) {
		t.Errorf("the log holds a secret:\n%s", logs.String())
	}

	// Every refresh reads the file again.
	exp2 := exp.Add(time.Hour)
	if err := os.WriteFile(path, []byte(`{"Version": 1, "AccessKeyId": "ASIAEXAMPLE2", "SecretAccessKey": "s2",
		"SessionToken": "t2", "Expiration": "`+exp2.Format(time.RFC3339)+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	resp, err = r.Refresh(context.Background(), request(pathConfig(path)))
	if err != nil {
		t.Fatalf("second Refresh: %v", err)
	}
	creds = resp.Credentials
	if creds.AccessKeyID != "ASIAEXAMPLE2" || creds.SecretAccessKey != "s2" || creds.SessionToken != "t2" || !creds.Expires.Equal(exp2) {
		t.Errorf("after rewriting the file, Refresh = %v", creds)
	}
}

// TestRefreshLongTermKeys reads a file without SessionToken and Expiration: keys that
// do not expire.
func TestRefreshLongTermKeys(t *testing.T) {
	path := writeFile(t, `{"Version": 1, "AccessKeyId": "AKIAEXAMPLE", "SecretAccessKey": "`+secret+`"}`)
	resp, err := plugintest.Connect(t, filecreds.New(nil)).Refresh(context.Background(), request(pathConfig(path)))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	creds := resp.Credentials
	if creds.AccessKeyID != "AKIAEXAMPLE" || creds.SessionToken != "" || creds.CanExpire() {
		t.Errorf("Refresh = %v, want AKIAEXAMPLE with no session token that never expires", creds)
	}
}

func TestRefreshErrors(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	full := func(fields string) string {
		return `{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "` + secret + `", "SessionToken": "` + token + `"` + fields + `}`
	}
	for _, tc := range []struct {
		name string
		// setup returns the role's config block as JSON.
		setup     func(t *testing.T) string
		code      string
		retryable bool
		// mention is a part of the message that tells the user what is wrong.
		mention string
	}{
		{"missing file", func(t *testing.T) string {
			return pathConfig(filepath.Join(t.TempDir(), "nope.json"))
		}, "FileNotFound", true, "does not exist"},
		{"half-written file", func(t *testing.T) string {
			return pathConfig(writeFile(t, `{"Version": 1, "SecretAccessKey": "`+secret+`", "AccessKeyId`))
		}, "InvalidCredentialsFile", true, "not valid JSON"},
		{"empty file", func(t *testing.T) string {
			return pathConfig(writeFile(t, ``))
		}, "InvalidCredentialsFile", true, "not valid JSON"},
		{"secret in a syntax error", func(t *testing.T) string {
			// encoding/json would quote the unexpected character, here a secret's.
			return pathConfig(writeFile(t, `{"Version": 1, "SecretAccessKey": `+secret[:1]+`}`))
		}, "InvalidCredentialsFile", true, "syntax error at byte"},
		{"not an object", func(t *testing.T) string {
			return pathConfig(writeFile(t, `["`+secret+`"]`))
		}, "InvalidCredentialsFile", false, "not an object"},
		{"wrong type", func(t *testing.T) string {
			return pathConfig(writeFile(t, `{"Version": 1, "AccessKeyId": 12, "SecretAccessKey": "`+secret+`"}`))
		}, "InvalidCredentialsFile", false, "AccessKeyId is a JSON number, but must be a string"},
		{"missing keys", func(t *testing.T) string {
			return pathConfig(writeFile(t, `{"Version": 1, "SessionToken": "`+token+`"}`))
		}, "IncompleteCredentialsFile", false, "has no AccessKeyId, SecretAccessKey"},
		{"missing version", func(t *testing.T) string {
			return pathConfig(writeFile(t, `{"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "`+secret+`"}`))
		}, "IncompleteCredentialsFile", false, "has no Version"},
		{"version 2", func(t *testing.T) string {
			return pathConfig(writeFile(t, `{"Version": 2, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "`+secret+`"}`))
		}, "UnsupportedVersion", false, "Version 2"},
		{"bad expiration", func(t *testing.T) string {
			return pathConfig(writeFile(t, full(`, "Expiration": "tomorrow"`)))
		}, "InvalidCredentialsFile", false, "RFC 3339"},
		{"expired", func(t *testing.T) string {
			return pathConfig(writeFile(t, full(`, "Expiration": "`+past+`"`)))
		}, "ExpiredCredentials", true, "expired at " + past},
		{"older than max_age", func(t *testing.T) string {
			p := writeFile(t, full(`, "Expiration": "`+future+`"`))
			old := time.Now().Add(-2 * time.Hour)
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
			return `{"path": ` + quote(p) + `, "max_age": "1h"}`
		}, "StaleCredentialsFile", true, "longer than max_age 1h0m0s"},
		{"directory", func(t *testing.T) string {
			return pathConfig(t.TempDir())
		}, "InvalidCredentialsFile", false, "not a regular file"},
		{"too large", func(t *testing.T) string {
			return pathConfig(writeFile(t, full(`, "Padding": "`+strings.Repeat("x", 70<<10)+`"`)))
		}, "InvalidCredentialsFile", false, "larger than 64 KiB"},
		{"invalid config", func(t *testing.T) string {
			return `{"path": "/a.json", "max_age": "soon"}`
		}, "InvalidConfig", false, "Invalid duration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := plugintest.Connect(t, filecreds.New(nil))
			_, err := r.Refresh(context.Background(), request(tc.setup(t)))
			checkError(t, err, tc.code, tc.retryable, tc.mention)
			if strings.Contains(err.Error(), "invalid character") {
				t.Errorf("error %q quotes the file's content", err.Error())
			}
		})
	}
}

// TestRefreshSourceRole refuses a request with source credentials: the file source has
// nothing to sign with them.
func TestRefreshSourceRole(t *testing.T) {
	path := writeFile(t, `{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s"}`)
	req := request(pathConfig(path))
	req.Source = &shared.Credentials{AccessKeyID: "ASIASOURCE", SecretAccessKey: secret, SessionToken: token}
	_, err := plugintest.Connect(t, filecreds.New(nil)).Refresh(context.Background(), req)
	checkError(t, err, "SourceRoleUnsupported", false, "remove source_role")
}

// checkError checks that err is a *shared.Error with code and retryable, whose message
// contains mention and no secret.
func checkError(t *testing.T, err error, code string, retryable bool, mention string) {
	t.Helper()
	var se *shared.Error
	if !errors.As(err, &se) {
		t.Fatalf("Refresh error %v (%T), want a *shared.Error", err, err)
	}
	if se.Code != code || se.Retryable != retryable {
		t.Errorf("error %q: code %q retryable %v, want %q %v", se.Message, se.Code, se.Retryable, code, retryable)
	}
	if !strings.Contains(se.Message, mention) {
		t.Errorf("message %q does not contain %q", se.Message, mention)
	}
	for _, s := range []string{secret, token, secret[:8]} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains a secret", err.Error())
		}
	}
}

// TestConformance runs brs's conformance suite for plugins: one call.
func TestConformance(t *testing.T) {
	path := writeFile(t, `{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "`+secret+`", "SessionToken": "`+token+`"}`)
	plugintest.Conformance(t, filecreds.New(nil), plugintest.ConformanceOpts{
		ValidConfig:    shared.Config(pathConfig(path)),
		InvalidConfigs: []shared.Config{shared.Config(`{"path": ""}`), shared.Config(`{"path": "/a.json", "max_age": "soon"}`)},
		Refresh:        request(pathConfig(path)),
		Secrets:        []string{secret, token},
		// A file never makes Refresh wait; a url can.
		HangingConfig: func(url string) shared.Config { return shared.Config(`{"url": ` + quote(url) + `}`) },
	})
}

// TestRefreshURL fetches the document from a sidecar over http, with the token, and
// checks the defences plugin/httpsource brings: a refusal is a permanent error that
// does not hold the token, a redirect is not followed, and a plain-http url that
// resolves to another machine gets no connection.
func TestRefreshURL(t *testing.T) {
	const bearer = "sidecar-t0ken-0123456789"
	doc := `{"Version": 1, "AccessKeyId": "ASIAURL", "SecretAccessKey": "` + secret + `", "SessionToken": "` + token + `"}`
	var followed atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/aws", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+bearer {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte("bad token " + r.Header.Get("Authorization")))
			return
		}
		_, _ = w.Write([]byte(doc))
	})
	mux.Handle("/moved", http.RedirectHandler("/elsewhere", http.StatusFound))
	mux.HandleFunc("/elsewhere", func(http.ResponseWriter, *http.Request) { followed.Store(true) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	r := filecreds.New(nil)
	cfg := func(path, tok string) *shared.RefreshRequest {
		return request(`{"url": ` + quote(srv.URL+path) + `, "token": ` + quote(tok) + `}`)
	}
	resp, err := r.Refresh(context.Background(), cfg("/aws", bearer))
	if err != nil || resp.Credentials.AccessKeyID != "ASIAURL" || resp.Credentials.SecretAccessKey != secret {
		t.Fatalf("Refresh from the sidecar = %v, %v", resp, err)
	}
	for _, tc := range []struct {
		path, tok, code string
	}{{"/aws", "wrong-t0ken-0123456789", "Unauthorized"}, {"/moved", bearer, "Redirect"}} {
		_, err := r.Refresh(context.Background(), cfg(tc.path, tc.tok))
		var se *shared.Error
		if !errors.As(err, &se) || se.Code != tc.code || se.Retryable || strings.Contains(err.Error(), "t0ken") {
			t.Errorf("%s: %v, want a permanent %s without the token", tc.path, err, tc.code)
		}
	}
	if followed.Load() {
		t.Error("the redirect was followed")
	}
}
