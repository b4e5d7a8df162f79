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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- newCLI(pw, &stderr, os.LookupEnv).run(ctx, []string{"-c", path, "serve", "--token-file", tokenFile, "a", "b", "denied"})
		pw.Close()
	}()
	var banner strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		banner.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "/roles/denied") {
			break
		}
	}
	vars := exported(banner.String())
	uris := vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
	if len(uris) != 3 || vars["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"][0] != tokenFile || vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] != nil {
		t.Fatalf("banner:\n%s", banner.String())
	}
	if !strings.Contains(banner.String(), "\n# role b:\n# export AWS_CONTAINER_CREDENTIALS_FULL_URI=") {
		t.Errorf("only the first role's URI should be live:\n%s", banner.String())
	}
	if !strings.Contains(stderr.String(), `brs: warning: brs: role "denied" (source "test"): no valid credentials: AccessDenied`) {
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

	cancel()
	if code := <-done; code != exitOK {
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
