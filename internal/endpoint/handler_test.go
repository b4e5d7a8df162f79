package endpoint_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/internal/endpoint"
	"github.com/brs-go/brs/shared"
)

// minter is an in-process source whose credentials name the role they were minted for,
// so a test can tell whether an answer belongs to the role it asked for. Roles called
// "denied" and "flaky" fail (permanently, retryably); "static" never expires.
type minter struct {
	now func() time.Time
	n   atomic.Int64
}

func (*minter) Schema(context.Context) (shared.Schema, error) {
	return shared.Schema{Description: "mints fake credentials"}, nil
}

func (*minter) Validate(context.Context, shared.Config) (shared.Diagnostics, error) { return nil, nil }

func (m *minter) Refresh(_ context.Context, req shared.Request) (shared.Credentials, error) {
	switch req.Role {
	case "denied":
		return shared.Credentials{}, shared.Permanent("AccessDenied", "not allowed to assume %s", req.Role)
	case "flaky":
		return shared.Credentials{}, shared.Retryable("Throttling", "slow down")
	}
	n := m.n.Add(1)
	c := shared.Credentials{
		AccessKeyID:     fmt.Sprintf("KEY%d%s", n, strings.ToUpper(req.Role)),
		SecretAccessKey: "secret-" + req.Role,
		SessionToken:    "token-" + req.Role,
		Expires:         m.now().Add(time.Hour),
		AccountID:       "111122223333",
		ARN:             "arn:aws:sts::111122223333:assumed-role/" + req.Role + "/brs",
	}
	if req.Role == "static" {
		c.Expires, c.SessionToken = time.Time{}, ""
	}
	return c, nil
}

const roles = `
role "a" {
  source = "mint"
  refresh {
    advisory  = "10m"
    mandatory = "3m"
  }
}
role "b" { source = "mint" }
role "c" { source = "mint" }
role "d" { source = "mint" }
role "denied" { source = "mint" }
role "flaky" { source = "mint" }
role "static" { source = "mint" }
`

// fixture is a host of the minter's roles behind a running endpoint.
type fixture struct {
	host  *host.Host
	srv   *endpoint.Server
	token string
	clock *clock.Fake
}

func start(t *testing.T, serve ...string) *fixture {
	t.Helper()
	return startWith(t, serve)
}

// startWith is start with the server's options; nil serve means every role.
func startWith(t *testing.T, serve []string, opts ...endpoint.ServerOption) *fixture {
	t.Helper()
	h, clk := loadHost(t)
	if len(serve) == 0 {
		serve = h.Roles()
	}
	token, err := endpoint.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	hd, err := endpoint.NewHandler(h, token, serve, endpoint.WithNow(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := endpoint.Start("127.0.0.1:0", hd, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return &fixture{host: h, srv: srv, token: token, clock: clk}
}

// loadHost loads the minter's roles into a host on a fake clock.
func loadHost(t *testing.T) (*host.Host, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "brs.hcl")
	if err := os.WriteFile(path, []byte(roles), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := host.Load(context.Background(), path, host.WithRefresher("mint", &minter{now: clk.Now}), host.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h, clk
}

// get sends one request and returns the status and the decoded JSON body.
func (f *fixture) get(t *testing.T, method, url string, header map[string]string) (int, http.Header, map[string]string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]string
	if method != http.MethodHead {
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s %s: body is not a JSON object of strings: %v\n%s", method, url, err, b)
		}
	}
	return resp.StatusCode, resp.Header, doc
}

func TestRefusals(t *testing.T) {
	f := start(t)
	url := f.srv.RoleURL("a")
	for _, tc := range []struct {
		name   string
		method string
		url    string
		header map[string]string
		status int
		code   string
	}{
		{"no token", "GET", url, nil, 401, "MissingToken"},
		{"empty token", "GET", url, map[string]string{"Authorization": ""}, 401, "MissingToken"},
		{"wrong token", "GET", url, map[string]string{"Authorization": strings.Repeat("0", 64)}, 403, "InvalidToken"},
		{"token prefix", "GET", url, map[string]string{"Authorization": f.token[:63]}, 403, "InvalidToken"},
		{"token with suffix", "GET", url, map[string]string{"Authorization": f.token + "x"}, 403, "InvalidToken"},
		{"not loopback Host", "GET", url, map[string]string{"Authorization": f.token, "Host": "evil.example:80"}, 403, "HostNotAllowed"},
		{"unknown role", "GET", f.srv.RoleURL("nope"), map[string]string{"Authorization": f.token}, 404, "UnknownRole"},
		{"root", "GET", f.srv.URL() + "/", map[string]string{"Authorization": f.token}, 404, "UnknownRole"},
		{"role path without prefix", "GET", f.srv.URL() + "/a", map[string]string{"Authorization": f.token}, 404, "UnknownRole"},
		{"POST", "POST", url, map[string]string{"Authorization": f.token}, 405, "MethodNotAllowed"},
		{"PUT", "PUT", url, map[string]string{"Authorization": f.token}, 405, "MethodNotAllowed"},
		{"POST without token", "POST", url, nil, 401, "MissingToken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, hdr, doc := f.get(t, tc.method, tc.url, tc.header)
			if status != tc.status || doc["code"] != tc.code || doc["message"] == "" {
				t.Errorf("status %d, body %v; want %d with code %s and a message", status, doc, tc.status, tc.code)
			}
			if _, ok := doc["SecretAccessKey"]; ok {
				t.Errorf("a refused request got credentials")
			}
			if strings.Contains(doc["message"], f.token) {
				t.Errorf("the message holds the token: %q", doc["message"])
			}
			if hdr.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", hdr.Get("Cache-Control"))
			}
			if tc.status == 405 && hdr.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q", hdr.Get("Allow"))
			}
		})
	}
}

// TestExpirationIsMandatoryStart: the answer's Expiration is the start of the role's
// mandatory window (expiry − 3m), not the real expiry, and the Go SDK's own container
// provider reads the answer as such.
func TestExpirationIsMandatoryStart(t *testing.T) {
	f := start(t)
	now := f.clock.Now()
	status, hdr, doc := f.get(t, "GET", f.srv.RoleURL("a"), map[string]string{"Authorization": f.token})
	if status != 200 {
		t.Fatalf("status %d: %v", status, doc)
	}
	want := map[string]string{
		"AccessKeyId": "KEY1A", "SecretAccessKey": "secret-a", "Token": "token-a",
		"Expiration": now.Add(57 * time.Minute).Format(time.RFC3339),
		"AccountId":  "111122223333", "RoleArn": "arn:aws:sts::111122223333:assumed-role/a/brs",
	}
	if fmt.Sprint(doc) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", doc, want)
	}
	if hdr.Get("Cache-Control") != "no-store" || hdr.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", hdr)
	}
	real, err := f.host.Credentials(context.Background(), "a")
	if err != nil || !real.Expires.Equal(now.Add(time.Hour)) {
		t.Fatalf("the real expiry is %v (%v), want an hour from now", real.Expires, err)
	}

	p := endpointcreds.New(f.srv.RoleURL("a"), func(o *endpointcreds.Options) { o.AuthorizationToken = f.token })
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("the Go SDK's endpoint provider: %v", err)
	}
	if c.AccessKeyID != "KEY1A" || c.SessionToken != "token-a" || !c.CanExpire || !c.Expires.Equal(now.Add(57*time.Minute)) || c.AccountID != "111122223333" {
		t.Errorf("the Go SDK read %+v", c)
	}

	// Credentials that never expire: the SDKs are told to come back in an hour.
	_, _, doc = f.get(t, "GET", f.srv.RoleURL("static"), map[string]string{"Authorization": f.token})
	if doc["Expiration"] != now.Add(endpoint.StaticRecheck).Format(time.RFC3339) || doc["Token"] != "" {
		t.Errorf("static credentials: %v", doc)
	}
	if _, ok := doc["Token"]; !ok {
		t.Errorf("no Token field: botocore requires one")
	}

	// "Bearer TOKEN" is accepted too, for people trying the endpoint with curl.
	if status, _, _ := f.get(t, "GET", f.srv.RoleURL("a"), map[string]string{"Authorization": "Bearer " + f.token}); status != 200 {
		t.Errorf("Bearer token: status %d", status)
	}
	if status, _, _ := f.get(t, "HEAD", f.srv.RoleURL("a"), map[string]string{"Authorization": f.token}); status != 200 {
		t.Errorf("HEAD: status %d", status)
	}
}

func TestNoCredentials(t *testing.T) {
	f := start(t)
	for _, tc := range []struct {
		role, code string
		status     int
	}{
		{"denied", "AccessDenied", 500},
		{"flaky", "Throttling", 503},
	} {
		status, _, doc := f.get(t, "GET", f.srv.RoleURL(tc.role), map[string]string{"Authorization": f.token})
		if status != tc.status || doc["code"] != tc.code || !strings.Contains(doc["message"], `role "`+tc.role+`" (source "mint")`) {
			t.Errorf("%s: status %d, body %v; want %d, code %s and a message naming the role", tc.role, status, doc, tc.status, tc.code)
		}
	}
	p := endpointcreds.New(f.srv.RoleURL("denied"), func(o *endpointcreds.Options) { o.AuthorizationToken = f.token })
	if _, err := p.Retrieve(context.Background()); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("the Go SDK's error: %v", err)
	}
}

// TestServesOnlyTheNamedRoles: roles of the host that were not named answer 404.
func TestServesOnlyTheNamedRoles(t *testing.T) {
	f := start(t, "b")
	if status, _, _ := f.get(t, "GET", f.srv.RoleURL("b"), map[string]string{"Authorization": f.token}); status != 200 {
		t.Errorf("b: status %d", status)
	}
	if status, _, doc := f.get(t, "GET", f.srv.RoleURL("a"), map[string]string{"Authorization": f.token}); status != 404 {
		t.Errorf("a: status %d, %v", status, doc)
	}
}

// TestConcurrentClients: 200 clients at once across four roles all get an answer, and
// each gets its own role's credentials.
func TestConcurrentClients(t *testing.T) {
	f := start(t)
	names := []string{"a", "b", "c", "d"}
	// No keep-alive, as 200 separate SDK processes would be: with a pool, a connection
	// dialled for a request that another connection served first waits idle, unused,
	// past the server's ReadHeaderTimeout, which closes it; a later request on it then
	// reads EOF, and net/http retries only on connections that were used before.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			role := names[i%len(names)]
			req, _ := http.NewRequest("GET", f.srv.RoleURL(role), nil)
			req.Header.Set("Authorization", f.token)
			resp, err := client.Do(req)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			var doc map[string]string
			if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
				errs <- fmt.Errorf("role %s: status %d, %v", role, resp.StatusCode, err)
				return
			}
			up := strings.ToUpper(role)
			if doc["SecretAccessKey"] != "secret-"+role || doc["Token"] != "token-"+role || !strings.HasSuffix(doc["AccessKeyId"], up) ||
				!strings.Contains(doc["RoleArn"], "/"+role+"/") {
				errs <- fmt.Errorf("role %s got %s's credentials", role, doc["SecretAccessKey"])
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// One refresh per role, however many callers.
	for _, s := range f.host.Status() {
		if s.Role <= "d" && s.Refreshes != 1 {
			t.Errorf("role %s: %d refreshes, want 1", s.Role, s.Refreshes)
		}
	}
}

func TestNewHandlerChecks(t *testing.T) {
	f := start(t)
	if _, err := endpoint.NewHandler(f.host, "short", []string{"a"}); err == nil {
		t.Error("a short token was accepted")
	}
	if _, err := endpoint.NewHandler(f.host, f.token, nil); err == nil {
		t.Error("no roles was accepted")
	}
	if _, err := endpoint.NewHandler(f.host, f.token, []string{"a", "nope"}); err == nil || !strings.Contains(err.Error(), `no role "nope"`) {
		t.Errorf("an unknown role: %v", err)
	}
}

func TestNewToken(t *testing.T) {
	a, err := endpoint.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := endpoint.NewToken()
	if len(a) != 64 || a == b || strings.Trim(a, "0123456789abcdef") != "" {
		t.Errorf("tokens %q and %q: want two different 64-digit hex strings", a, b)
	}
}
