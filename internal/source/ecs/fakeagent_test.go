package ecs_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// fakeAgent is a fake of the ECS agent / EKS Pod Identity agent: a loopback HTTP
// server that speaks the container credentials protocol (GET with an Authorization
// header; credentials as JSON with AccessKeyId, SecretAccessKey, Token and
// Expiration; errors as JSON {"code", "message"}). It is not the real agent, which
// only runs inside ECS tasks and EKS pods; `brs serve` serves the same format.
type fakeAgent struct {
	srv *httptest.Server

	mu sync.Mutex
	// path is the only path with credentials; others get 404.
	path string
	// token is the Authorization value the agent requires; "" requires none.
	token string
	// fail holds statuses to answer, one per request, before serving credentials.
	fail []int
	// body, if set, is the answer to every request after fail, with status 200.
	body string
	// auths are the Authorization headers received ("" for none), in order.
	auths []string
	// served counts the credentials handed out.
	served int
}

const (
	fakeAgentPath = "/v1/credentials"
	fakeRoleARN   = "arn:aws:iam::123456789012:role/task-role"
)

// startFakeAgent starts an agent that serves fakeAgentPath and requires token.
func startFakeAgent(t *testing.T, token string) *fakeAgent {
	t.Helper()
	f := &fakeAgent{path: fakeAgentPath, token: token}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// url is the agent's credentials URL.
func (f *fakeAgent) url() string { return f.srv.URL + f.path }

func (f *fakeAgent) setToken(token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.token = token
}

func (f *fakeAgent) failWith(statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = append(f.fail, statuses...)
}

func (f *fakeAgent) answer(body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.body = body
}

func (f *fakeAgent) authorizations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auths...)
}

// servedCount is the number of credentials handed out so far.
func (f *fakeAgent) servedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.served
}

// fakeCredentials are the n-th credentials the agent hands out.
func fakeCredentials(n int) (akid, secret, token string) {
	return fmt.Sprintf("ASIAFAKEECSAGENT%04d", n), fmt.Sprintf("fake-agent-secret-%04d", n), fmt.Sprintf("fake-agent-session-token-%04d", n)
}

func (f *fakeAgent) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	auth := r.Header.Get("Authorization")
	if _, ok := r.Header["Authorization"]; !ok {
		auth = ""
	}
	f.auths = append(f.auths, auth)
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method != http.MethodGet:
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "only GET")
	case r.URL.Path != f.path:
		writeError(w, http.StatusNotFound, "NotFound", "no credentials at "+r.URL.Path)
	case f.token != "" && auth != f.token:
		writeError(w, http.StatusUnauthorized, "InvalidToken", "the Authorization header is missing or wrong")
	case len(f.fail) > 0:
		status := f.fail[0]
		f.fail = f.fail[1:]
		writeError(w, status, "InternalError", "the fake agent was told to fail")
	case f.body != "":
		_, _ = w.Write([]byte(f.body))
	default:
		f.served++
		akid, secret, token := fakeCredentials(f.served)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"AccessKeyId":     akid,
			"SecretAccessKey": secret,
			"Token":           token,
			"Expiration":      time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
			"RoleArn":         fakeRoleARN,
		})
	}
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"code": code, "message": msg})
}
