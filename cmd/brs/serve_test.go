package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// getCredentials asks an endpoint URI for credentials with token and returns the
// status and the document.
func getCredentials(t *testing.T, uri, token string) (int, map[string]string) {
	t.Helper()
	req, err := http.NewRequest("GET", uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, doc
}

// exported returns the values of the export lines of a banner, by variable; a line
// commented out counts too.
func exported(banner string) map[string][]string {
	m := map[string][]string{}
	for line := range strings.SplitSeq(banner, "\n") {
		line = strings.TrimPrefix(line, "# ")
		if rest, ok := strings.CutPrefix(line, "export "); ok {
			k, v, _ := strings.Cut(rest, "=")
			m[k] = append(m[k], strings.Trim(v, "'"))
		}
	}
	return m
}

// TestServe runs brs serve in-process on two roles with a token file, uses both roles'
// URIs, then stops it as SIGINT would (by cancelling its context).
func TestServe(t *testing.T) {
	dir := t.TempDir()
	path := writeHCL(t, dir, "brs.hcl", statusRoles)
	tokenFile := filepath.Join(dir, "run", "token")
	if err := os.Mkdir(filepath.Dir(tokenFile), 0o700); err != nil {
		t.Fatal(err)
	}
	run := startServe(t, "/roles/denied", "-c", path, "serve", "--token-file", tokenFile, "a", "b", "denied")
	banner, stderr, vars := run.banner, run.stderr, run.vars
	uris := vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
	if len(uris) != 3 || vars["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"][0] != tokenFile || vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] != nil {
		t.Fatalf("banner:\n%s", banner)
	}
	if !strings.Contains(banner, "\n# role b:\n# export AWS_CONTAINER_CREDENTIALS_FULL_URI=") {
		t.Errorf("only the first role's URI should be live:\n%s", banner)
	}
	if !strings.Contains(stderr.String(), `brs: warning: role "denied" (source "test"): no valid credentials: AccessDenied`) {
		t.Errorf("no warning about the failing role:\n%s", stderr.String())
	}

	fi, err := os.Stat(tokenFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, mode %v; want 0600", err, fi.Mode())
	}
	tok, _ := os.ReadFile(tokenFile)
	if len(tok) != 64 || strings.ContainsAny(string(tok), "\r\n") {
		t.Errorf("token file holds %q: want 64 hex digits and no newline", tok)
	}
	if entries, _ := os.ReadDir(filepath.Dir(tokenFile)); len(entries) != 1 {
		t.Errorf("the token's directory holds %d files, want only the token (no temporary file left)", len(entries))
	}
	for i, role := range []string{"a", "b"} {
		status, doc := getCredentials(t, uris[i], string(tok))
		if status != 200 || !strings.HasSuffix(doc["SecretAccessKey"], "-"+role) {
			t.Errorf("role %s at %s: status %d, %v", role, uris[i], status, doc["AccessKeyId"])
		}
	}
	if status, doc := getCredentials(t, uris[2], string(tok)); status != 500 || doc["code"] != "AccessDenied" {
		t.Errorf("denied: status %d, %v", status, doc)
	}
	if status, _ := getCredentials(t, uris[0], strings.Repeat("0", 64)); status != 403 {
		t.Errorf("wrong token: status %d", status)
	}

	if code := run.stop(); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(tokenFile); !os.IsNotExist(err) {
		t.Errorf("the token file is left after brs stopped: %v", err)
	}
	if _, err := http.Get(uris[0]); err == nil {
		t.Error("the endpoint still answers after brs stopped")
	}
	if !strings.Contains(stderr.String(), "brs: serve: stopping") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

func TestServeRefusals(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", testRoles)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--listen", "0.0.0.0:8080"}, "refusing to listen on 0.0.0.0:8080"},
		{[]string{"--listen", ":8080"}, "an empty host means every interface"},
		{[]string{"nope"}, `no role "nope"`},
		{[]string{"--token-file", filepath.Join(t.TempDir(), "missing", "dir", "token")}, "writing the token file"},
	} {
		r := runBRS(t, append([]string{"-c", path, "serve"}, tc.args...)...)
		if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("serve %q: exit %d, stdout %q, stderr:\n%s\nwant %q", tc.args, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

// TestServeSIGTERM stops the real brs serve with SIGTERM: it exits 0, removes the
// token file and stops the plugin.
func TestServeSIGTERM(t *testing.T) {
	dir := t.TempDir()
	path := writeHCL(t, dir, "brs.hcl", testRoles)
	tokenFile := filepath.Join(dir, "token")
	cmd, out, stderr := startBRS(t, "-c", path, "serve", "--listen", "localhost:0", "--token-file", tokenFile)
	line := readUntil(t, out, "export AWS_CONTAINER_CREDENTIALS_FULL_URI=")
	uri := strings.TrimPrefix(line, "export AWS_CONTAINER_CREDENTIALS_FULL_URI=")
	if !strings.HasPrefix(uri, "http://127.0.0.1:") || !strings.HasSuffix(uri, "/roles/a") {
		t.Fatalf("URI %q", uri)
	}
	tok, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	status, doc := getCredentials(t, uri, string(tok))
	var pid int
	if _, err := fmt.Sscanf(doc["AccessKeyId"], "TESTPID%dN", &pid); status != 200 || err != nil {
		t.Fatalf("status %d, %v, %v", status, doc["AccessKeyId"], err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("brs serve after SIGTERM: %v; stderr:\n%s", err, stderr.String())
	}
	if _, err := os.Stat(tokenFile); !os.IsNotExist(err) {
		t.Errorf("the token file is left: %v", err)
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); !os.IsNotExist(err) {
		t.Errorf("plugin process %d still exists after brs serve exited", pid)
	}
	if !strings.Contains(stderr.String(), "brs: serve: stopping") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// serveRun is a brs serve running in-process.
type serveRun struct {
	vars   map[string][]string // the banner's exports, by variable
	banner string
	stderr *syncBuffer
	stop   func() int // cancels the run and returns its exit status
}

// startServe runs brs serve in-process with args and reads its banner up to the
// first line that contains last.
func startServe(t *testing.T, last string, args ...string) *serveRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	run := &serveRun{stderr: &syncBuffer{}}
	done := make(chan int, 1)
	go func() {
		done <- newCLI(pw, run.stderr, os.LookupEnv).run(ctx, args)
		pw.Close()
	}()
	stopped := false
	run.stop = func() int {
		if stopped {
			return exitOK
		}
		stopped = true
		cancel()
		go func() { _, _ = io.Copy(io.Discard, pr) }()
		return <-done
	}
	t.Cleanup(func() { run.stop() })
	var banner strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		banner.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), last) {
			break
		}
	}
	run.banner = banner.String()
	run.vars = exported(run.banner)
	return run
}

// sdkFromTokenFile fetches credentials as the AWS SDK for Go does when given
// AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: it
// reads the file at each request.
func sdkFromTokenFile(uri, tokenFile string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p := endpointcreds.New(uri, func(o *endpointcreds.Options) {
		o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
			b, err := os.ReadFile(tokenFile)
			return string(b), err
		})
	})
	c, err := p.Retrieve(ctx)
	return c.SecretAccessKey, err
}

// TestServeTokenPerRole: with --token-dir each role has its own token, in DIR/ROLE
// (mode 0600, removed at exit); the AWS SDK given one role's URI and token file gets
// that role's credentials, and given another role's token file gets nothing. With
// --token-per-role alone the banner carries each role's token after its URI.
func TestServeTokenPerRole(t *testing.T) {
	dir := t.TempDir()
	path := writeHCL(t, dir, "brs.hcl", statusRoles)
	tokenDir := filepath.Join(dir, "tokens")
	if err := os.Mkdir(tokenDir, 0o700); err != nil {
		t.Fatal(err)
	}
	run := startServe(t, "# export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=", "-c", path, "serve", "--token-dir", tokenDir, "a", "b")
	uris, files := run.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"], run.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]
	if len(uris) != 2 || len(files) != 2 || files[0] != filepath.Join(tokenDir, "a") || files[1] != filepath.Join(tokenDir, "b") ||
		run.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] != nil {
		t.Fatalf("banner:\n%s", run.banner)
	}
	if !strings.Contains(run.banner, "\n# role b:\n# export AWS_CONTAINER_CREDENTIALS_FULL_URI=") ||
		!strings.Contains(run.banner, "# Each role has its own token") {
		t.Errorf("banner:\n%s", run.banner)
	}
	tokens := map[string]bool{}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("token file %s: %v, mode %v; want 0600", f, err, fi.Mode())
		}
		tok, _ := os.ReadFile(f)
		tokens[string(tok)] = true
	}
	if len(tokens) != 2 {
		t.Errorf("the two roles have the same token")
	}
	if entries, _ := os.ReadDir(tokenDir); len(entries) != 2 {
		t.Errorf("the token directory holds %d files, want one per role", len(entries))
	}
	for i, role := range []string{"a", "b"} {
		secret, err := sdkFromTokenFile(uris[i], files[i])
		if err != nil || !strings.HasSuffix(secret, "-"+role) {
			t.Errorf("role %s with its token: %v", role, err)
		}
		other := files[1-i]
		if secret, err := sdkFromTokenFile(uris[i], other); err == nil || !strings.Contains(err.Error(), "InvalidToken") || secret != "" {
			t.Errorf("role %s with the token in %s: %v; want InvalidToken", role, other, err)
		}
	}
	if code := run.stop(); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, run.stderr.String())
	}
	if entries, _ := os.ReadDir(tokenDir); len(entries) != 0 {
		t.Errorf("%d token files left after brs stopped", len(entries))
	}

	// --token-per-role: the tokens are in the banner.
	run = startServe(t, "# export AWS_CONTAINER_AUTHORIZATION_TOKEN=", "-c", path, "serve", "--token-per-role", "a", "b")
	uris, toks := run.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"], run.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
	if len(uris) != 2 || len(toks) != 2 || toks[0] == toks[1] || run.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] != nil {
		t.Fatalf("banner:\n%s", run.banner)
	}
	for i, role := range []string{"a", "b"} {
		if status, doc := getCredentials(t, uris[i], toks[i]); status != 200 || !strings.HasSuffix(doc["SecretAccessKey"], "-"+role) {
			t.Errorf("role %s with its token: status %d", role, status)
		}
		if status, doc := getCredentials(t, uris[i], toks[1-i]); status != 403 || doc["code"] != "InvalidToken" {
			t.Errorf("role %s with the other role's token: status %d, %v", role, status, doc)
		}
	}
}

// TestServeTokenFlagsConflict: one token for every role (--token-file) and one per role
// (--token-dir, --token-per-role) cannot both be asked for.
func TestServeTokenFlagsConflict(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", testRoles)
	for _, args := range [][]string{
		{"--token-file", "/tmp/x", "--token-per-role"},
		{"--token-file", "/tmp/x", "--token-dir", "/tmp"},
	} {
		r := runBRS(t, append([]string{"-c", path, "serve"}, args...)...)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "use one of them") {
			t.Errorf("serve %q: exit %d, stderr:\n%s", args, r.code, r.stderr)
		}
	}
}
