package ecs_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/ecs"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// TestStatusErrors checks how each answer other than 200 is classified, and that the
// advice fits the status.
func TestStatusErrors(t *testing.T) {
	cases := []struct {
		status    int
		body      string
		code      string
		retryable bool
		want      []string
	}{
		{401, "", "Unauthorized", false, []string{"HTTP 401", "set token or token_file"}},
		{403, `{"code": "AccessDeniedException", "message": "no association"}`, "AccessDeniedException", false, []string{"HTTP 403 AccessDeniedException", "that the pod or task has a role"}},
		{404, `{"code": "", "message": "Credentials not found"}`, "NotFound", false, []string{"HTTP 404: no credentials", "relative_uri", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"}},
		{400, `{"code": "InvalidIdInRequest", "message": "bad id"}`, "InvalidIdInRequest", false, []string{"HTTP 400 InvalidIdInRequest: the endpoint refused"}},
		{429, `{"code": "Throttling"}`, "Throttling", true, []string{"HTTP 429", "retrying later"}},
		{500, "", "ServerError", true, []string{"HTTP 500", "retrying later"}},
		{502, "<html>Bad Gateway</html>", "ServerError", true, []string{"HTTP 502"}},
		{503, `{"code": "bad code with spaces", "message": "busy"}`, "ServerError", true, []string{"HTTP 503: the endpoint failed"}},
		{302, "", "Redirect", false, []string{"HTTP 302", "redirects are not followed"}},
		{204, "", "InvalidResponse", true, []string{"HTTP 204", "expected HTTP 200"}},
	}
	for _, c := range cases {
		t.Run(http.StatusText(c.status), func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if c.status == 302 {
					http.Redirect(w, r, "/elsewhere", c.status)
					return
				}
				w.WriteHeader(c.status)
				_, _ = w.Write([]byte(c.body))
			}))
			defer srv.Close()
			_, err := refresh(t, ecs.New(), map[string]string{"uri": srv.URL + "/creds"})
			se := sourcetest.WantError(t, err, c.code, c.retryable, c.want...)
			if !strings.Contains(se.Message, srv.URL+"/creds") {
				t.Errorf("error %q does not name the endpoint", se.Message)
			}
			for _, quoted := range []string{"<html>", "bad id", "busy", "no association", "spaces"} {
				if strings.Contains(se.Message, quoted) {
					t.Errorf("error %q quotes the body", se.Message)
				}
			}
			if hits.Load() != 1 {
				t.Errorf("the server got %d requests, want 1 (no redirect followed)", hits.Load())
			}
		})
	}
}

// TestMalformedAnswers checks that a 200 answer that is not a valid credentials
// document gets an error that says what is wrong without quoting it.
func TestMalformedAnswers(t *testing.T) {
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	const secret = "wJalrXUtnFEMI-leaked-secret"
	cases := []struct {
		name, body, code string
		want             []string
	}{
		{"not JSON", "Secret=" + secret, "InvalidResponse", []string{"not a JSON credentials document", "invalid JSON near byte"}},
		{"truncated", `{"AccessKeyId": "ASIAX", "SecretAccessKey": "` + secret, "InvalidResponse", []string{"invalid JSON"}},
		{"an array", `["` + secret + `"]`, "InvalidResponse", []string{"a JSON array, not an object"}},
		{"wrong type", `{"AccessKeyId": 42, "SecretAccessKey": "` + secret + `"}`, "InvalidResponse", []string{"field AccessKeyId is a JSON number"}},
		{"empty object", `{}`, "InvalidResponse", []string{"lacks AccessKeyId, SecretAccessKey, Token, Expiration"}},
		{"no secret", `{"AccessKeyId": "ASIAX", "Token": "t", "Expiration": "` + exp + `"}`, "InvalidResponse", []string{"lacks SecretAccessKey"}},
		{"no token", `{"AccessKeyId": "ASIAX", "SecretAccessKey": "` + secret + `", "Expiration": "` + exp + `"}`, "InvalidResponse", []string{"lacks Token"}},
		{"no expiration", `{"AccessKeyId": "ASIAX", "SecretAccessKey": "` + secret + `", "Token": "t"}`, "InvalidResponse", []string{"lacks Expiration"}},
		{"bad expiration", `{"AccessKeyId": "ASIAX", "SecretAccessKey": "` + secret + `", "Token": "t", "Expiration": "tomorrow"}`, "InvalidResponse", []string{"not an RFC 3339 time"}},
		{"expired", `{"AccessKeyId": "ASIAX", "SecretAccessKey": "` + secret + `", "Token": "t", "Expiration": "` + past + `"}`, "ExpiredCredentials", []string{"expired at " + past, "clock"}},
		{"too large", `{"AccessKeyId": "` + strings.Repeat("A", 64<<10) + `"}`, "InvalidResponse", []string{"larger than 65536 bytes"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := startFakeAgent(t, "")
			f.answer(c.body)
			_, err := refresh(t, ecs.New(), map[string]string{"uri": f.url()})
			se := sourcetest.WantError(t, err, c.code, true, c.want...)
			if strings.Contains(se.Message, secret) || strings.Contains(se.Message, "ASIAX") {
				t.Errorf("error %q quotes the answer", se.Message)
			}
		})
	}
}

func TestNetworkError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	_, err = refresh(t, ecs.New(), map[string]string{"uri": "http://" + addr + "/creds?id=query-secret"})
	se := sourcetest.WantError(t, err, "NetworkError", true, "http://"+addr+"/creds", "connection refused", "check that the credentials agent runs")
	if strings.Contains(se.Message, "query-secret") {
		t.Errorf("error %q shows the query", se.Message)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	// Never answer before the test ends (an early empty 200 could race the client's
	// timeout on a loaded machine).
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	_, err := refresh(t, ecs.New(), map[string]string{"uri": srv.URL, "timeout": "100ms"})
	sourcetest.WantError(t, err, "Timeout", true, "no answer within 100ms", "raise timeout")
}
