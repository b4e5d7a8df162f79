package main

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeFederation is a loopback fake of the AWS sign-in federation endpoint
// (https://signin.aws.amazon.com/federation), which has no local stand-in: it answers
// Action=getSigninToken with a token, or with what the test sets, and records the
// sessions it was given.
type fakeFederation struct {
	*httptest.Server
	mu       sync.Mutex
	sessions []map[string]string
	// answer, when set, replaces the normal answer.
	answer func(w http.ResponseWriter, r *http.Request)
}

const fakeSigninToken = "fake-signin-token-0123456789"

func startFakeFederation(t *testing.T) *fakeFederation {
	f := &fakeFederation{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		answer := f.answer
		f.mu.Unlock()
		if answer != nil {
			answer(w, r)
			return
		}
		var s map[string]string
		if r.URL.Query().Get("Action") != "getSigninToken" || json.Unmarshal([]byte(r.URL.Query().Get("Session")), &s) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.sessions = append(f.sessions, s)
		f.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]string{"SigninToken": fakeSigninToken})
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeFederation) setAnswer(a func(http.ResponseWriter, *http.Request)) {
	f.mu.Lock()
	f.answer = a
	f.mu.Unlock()
}

// TestConsole gets a sign-in URL for a role of the test plugin from the fake
// federation endpoint: the session sent is the role's credentials, the URL printed
// logs in with the token, and nothing secret reaches stderr.
func TestConsole(t *testing.T) {
	f := startFakeFederation(t)
	dir := t.TempDir()
	cfg := writeHCL(t, dir, "brs.hcl", strings.Replace(testRoles, `source = "test"
  config`, `source = "test"
  region = "eu-west-1"
  config`, 1))
	r := runBRS(t, "-c", cfg, "console", "--federation-endpoint", f.URL+"/federation", "b")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if len(f.sessions) != 1 {
		t.Fatalf("%d getSigninToken calls, want 1", len(f.sessions))
	}
	s := f.sessions[0]
	if !strings.HasPrefix(s["sessionId"], "TESTPID") || !strings.HasSuffix(s["sessionKey"], "-b") || !strings.HasPrefix(s["sessionToken"], "test-session-token-") {
		t.Errorf("session sent: %v", s)
	}
	u, err := url.Parse(strings.TrimSpace(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme+"://"+u.Host+u.Path != f.URL+"/federation" || q.Get("Action") != "login" || q.Get("Issuer") != "brs" ||
		q.Get("SigninToken") != fakeSigninToken || q.Get("Destination") != "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1" {
		t.Errorf("URL %s", r.stdout)
	}

	// $BRS_FEDERATION_ENDPOINT, and --destination.
	t.Setenv("BRS_FEDERATION_ENDPOINT", f.URL+"/federation")
	r = runBRS(t, "-c", cfg, "console", "--destination", "https://console.aws.amazon.com/s3/", "a")
	if u, _ := url.Parse(strings.TrimSpace(r.stdout)); r.code != exitOK || u == nil || u.Query().Get("Destination") != "https://console.aws.amazon.com/s3/" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestConsoleErrors checks each way the federation endpoint can fail: refused
// credentials, an answer without a token, an endless answer (cut at the size cap),
// no answer at all (cut at the timeout). Each is one line on stderr that holds no
// secret, and nothing is printed on stdout.
func TestConsoleErrors(t *testing.T) {
	f := startFakeFederation(t)
	dir := t.TempDir()
	cfg := writeHCL(t, dir, "brs.hcl", testRoles)
	old := federationTimeout
	federationTimeout = 500 * time.Millisecond
	t.Cleanup(func() { federationTimeout = old })
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })

	cases := []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request)
		want   string
	}{
		{"refused", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "no", http.StatusBadRequest) }, "answered 400 Bad Request: the credentials were refused"},
		{"no token", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"Other": "x"}`)) }, "answered without a SigninToken"},
		{"endless", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"SigninToken": "`))
			chunk := []byte(strings.Repeat("x", 4096))
			for i := 0; i < 1024; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, "answered more than 64 KiB"},
		{"silent", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}, "no answer within 500ms"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.setAnswer(c.answer)
			r := runBRS(t, "-c", cfg, "console", "--federation-endpoint", f.URL, "a")
			if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant %q", r.code, r.stdout, r.stderr, c.want)
			}
			checkNoSession(t, r.stderr)
		})
	}

	// A closed port: the transport's error quotes the request URL, which holds the
	// credentials; only its cause is reported.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	r := runBRS(t, "-c", cfg, "console", "--federation-endpoint", closed.URL, "a")
	if r.code != exitError || !strings.Contains(r.stderr, "connection refused") {
		t.Errorf("closed endpoint: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	checkNoSession(t, r.stderr)
}

// checkNoSession fails the test if s holds any part of the session sent to the
// federation endpoint.
func checkNoSession(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{"Session=", "sessionKey", "test-session-token", "TESTPID"} {
		if strings.Contains(s, secret) {
			t.Errorf("stderr holds %q:\n%s", secret, s)
		}
	}
}

// TestConsoleLongTermCredentials checks that a role without a session token is refused
// before any call: the federation endpoint takes only temporary credentials.
func TestConsoleLongTermCredentials(t *testing.T) {
	f := startFakeFederation(t)
	plugins := builtinPlugins(t, "process")
	dir := t.TempDir()
	cfg := writeHCL(t, dir, "brs.hcl", `role "static" {
  source = "process"
  config {
    command = "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIASTATICEXAMPLE001\", \"SecretAccessKey\": \"static-secret\"}'"
  }
}
`)
	r := runBRS(t, "--plugin-dir", plugins, "-c", cfg, "console", "--federation-endpoint", f.URL, "static")
	if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, `role "static" has long-term credentials (no session token)`) || strings.Contains(r.stderr, "static-secret") {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if len(f.sessions) != 0 {
		t.Errorf("the federation endpoint was called %d times", len(f.sessions))
	}
}

// TestConsoleOpen hands the URL to xdg-open (a script on $PATH that records its
// argument) and prints nothing; without any xdg-open it prints the URL after saying so.
func TestConsoleOpen(t *testing.T) {
	f := startFakeFederation(t)
	dir := t.TempDir()
	cfg := writeHCL(t, dir, "brs.hcl", testRoles)
	bin := filepath.Join(dir, "bin")
	got := filepath.Join(dir, "opened")
	writeHCL(t, bin, "xdg-open", "#!/bin/sh\nprintf '%s' \"$1\" > "+got+"\n")
	writeHCL(t, bin, "open", "#!/bin/sh\nprintf '%s' \"$1\" > "+got+"\n")
	for _, n := range []string{"xdg-open", "open"} {
		if err := os.Chmod(filepath.Join(bin, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+":/usr/bin:/bin")
	r := runBRS(t, "-c", cfg, "console", "--open", "--federation-endpoint", f.URL, "a")
	b, _ := os.ReadFile(got)
	if r.code != exitOK || r.stdout != "" || r.stderr != "" || !strings.Contains(string(b), "SigninToken="+fakeSigninToken) {
		t.Errorf("exit %d, stdout %q, stderr %q, opened %q", r.code, r.stdout, r.stderr, b)
	}

	t.Setenv("PATH", filepath.Join(dir, "empty"))
	r = runBRS(t, "-c", cfg, "console", "--open", "--federation-endpoint", f.URL, "a")
	if r.code != exitOK || !strings.Contains(r.stdout, "SigninToken="+fakeSigninToken) || !strings.Contains(r.stderr, "could not open a browser") || strings.Contains(r.stderr, fakeSigninToken) {
		t.Errorf("without xdg-open: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestConsoleURLs checks the federation endpoint and console home of each partition.
func TestConsoleURLs(t *testing.T) {
	for region, want := range map[string][2]string{
		"":              {"https://signin.aws.amazon.com/federation", "https://console.aws.amazon.com/"},
		"eu-west-1":     {"https://signin.aws.amazon.com/federation", "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"},
		"us-gov-west-1": {"https://signin.amazonaws-us-gov.com/federation", "https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"},
		"cn-north-1":    {"https://signin.amazonaws.cn/federation", "https://console.amazonaws.cn/console/home?region=cn-north-1"},
	} {
		if f, h := consoleURLs(region); f != want[0] || h != want[1] {
			t.Errorf("consoleURLs(%q) = %s, %s; want %s, %s", region, f, h, want[0], want[1])
		}
	}
}

// TestConsolePlainHTTP: the request to the federation endpoint carries the role's
// secret key, so brs sends it over plain http only to a loopback address. A fake
// federation endpoint on this machine's non-loopback address, reached over http,
// gets no request; the same on loopback (as TestConsole shows) and https do.
func TestConsolePlainHTTP(t *testing.T) {
	for endpoint, ok := range map[string]bool{
		"https://signin.example.com/federation": true,
		"http://127.0.0.1:8080/federation":      true,
		"http://127.3.4.5/federation":           true,
		"http://[::1]:8080/federation":          true,
		"http://LocalHost:8080/federation":      true,
		"http://signin.example.com/federation":  false,
		"http://192.0.2.7/federation":           false,
		"http://[::ffff:10.0.0.1]/federation":   false,
		"http://localhost.evil.example/x":       false,
		"http://127.0.0.1.nip.io/x":             false,
		"ftp://127.0.0.1/x":                     false,
		"https://user:pw@signin.example.com/x":  false,
		"signin.aws.amazon.com/federation":      false,
	} {
		if err := checkFederationEndpoint(endpoint); (err == nil) != ok {
			t.Errorf("checkFederationEndpoint(%q) = %v, want ok=%v", endpoint, err, ok)
		}
	}

	// The real command against a real listener on a non-loopback address of this
	// machine, when it has one.
	addr := nonLoopbackAddr(t)
	if addr == "" {
		t.Log("no non-loopback address on this machine: checked the rule only")
		return
	}
	f := &fakeFederation{}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.sessions = append(f.sessions, map[string]string{"Session": r.URL.Query().Get("Session")})
		f.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]string{"SigninToken": fakeSigninToken})
	}))
	l, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
	if err != nil {
		t.Fatal(err)
	}
	f.Listener = l
	f.Start()
	t.Cleanup(f.Close)
	cfg := writeHCL(t, t.TempDir(), "brs.hcl", testRoles)
	r := runBRS(t, "-c", cfg, "console", "--federation-endpoint", f.URL+"/federation", "a")
	f.mu.Lock()
	n := len(f.sessions)
	f.mu.Unlock()
	if n != 0 || r.code != exitUsage || !strings.Contains(r.stderr, "only over https") || r.stdout != "" {
		t.Errorf("%s: %d requests, exit %d, stdout %q, stderr:\n%s", f.URL, n, r.code, r.stdout, r.stderr)
	}
	checkNoSession(t, r.stderr)
}

// nonLoopbackAddr returns an IPv4 address of this machine that is not loopback, or "".
func nonLoopbackAddr(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}
