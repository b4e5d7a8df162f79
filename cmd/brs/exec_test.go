package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/proctest"
)

// execRoles has a role with a region, one without, and one that cannot get
// credentials.
const execRoles = `plugin "test" {
  command = "{{test}}"
}

role "a" {
  source = "test"
  region = "eu-west-3"
}

role "noregion" {
  source = "test"
}

role "denied" {
  source = "test"
  config {
    fail = "AccessDenied"
  }
}
`

// plantParentCredentials fills the environment, the AWS files and ~/.boto with other
// credentials, each of which an AWS SDK would use before a container endpoint.
func plantParentCredentials(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	config := writeHCL(t, dir, "aws/config", "[default]\naws_access_key_id = AKIABOGUSCONFIG\naws_secret_access_key = bogus\n"+
		"[profile parent]\ncredential_process = false\n")
	creds := writeHCL(t, dir, "aws/credentials", "[default]\naws_access_key_id = AKIABOGUSFILE\naws_secret_access_key = bogus\n")
	boto := writeHCL(t, dir, "boto", "[Credentials]\naws_access_key_id = AKIABOGUSBOTO\naws_secret_access_key = bogus\n")
	env := map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIABOGUSENV", "AWS_SECRET_ACCESS_KEY": "bogus-env-secret",
		"AWS_ACCESS_KEY": "AKIABOGUSENV2", "AWS_SECRET_KEY": "bogus-env-secret2",
		"AWS_SESSION_TOKEN": "bogus-token", "AWS_SECURITY_TOKEN": "bogus-security-token",
		"AWS_CREDENTIAL_EXPIRATION":              "2099-01-01T00:00:00Z",
		"AWS_PROFILE":                            "parent",
		"AWS_DEFAULT_PROFILE":                    "parent",
		"AWS_WEB_IDENTITY_TOKEN_FILE":            filepath.Join(dir, "token"),
		"AWS_ROLE_ARN":                           "arn:aws:iam::999999999999:role/parent",
		"AWS_ROLE_SESSION_NAME":                  "parent",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/parent",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     "http://127.0.0.1:1/parent",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":      "parent-token",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": filepath.Join(dir, "auth-token"),
		"AWS_CREDENTIAL_FILE":                    creds,
		"AWS_ACCOUNT_ID":                         "999999999999",
		"AWS_CONFIG_FILE":                        config,
		"AWS_SHARED_CREDENTIALS_FILE":            creds,
		"BOTO_CONFIG":                            boto,
		"AWS_REGION":                             "us-west-1",
		"AWS_DEFAULT_REGION":                     "us-west-1",
		"BRS_TEST_UNRELATED":                     "kept",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	return env
}

// envOf parses the output of env(1).
func envOf(out string) map[string]string {
	m := map[string]string{}
	for line := range strings.SplitSeq(out, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

func TestExecEnvironment(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", execRoles)
	plantParentCredentials(t)
	r := runBRS(t, "-c", path, "exec", "a", "--", "env")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	env := envOf(r.stdout)
	uri := env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
	if !strings.HasPrefix(uri, "http://127.0.0.1:") || !strings.HasSuffix(uri, "/roles/a") {
		t.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI=%q", uri)
	}
	if tok := env["AWS_CONTAINER_AUTHORIZATION_TOKEN"]; len(tok) != 64 || strings.Trim(tok, "0123456789abcdef") != "" {
		t.Errorf("AWS_CONTAINER_AUTHORIZATION_TOKEN=%q, want 64 hex digits", tok)
	}
	want := map[string]string{
		"AWS_REGION": "eu-west-3", "AWS_DEFAULT_REGION": "eu-west-3",
		"AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull, "BOTO_CONFIG": os.DevNull,
		"BRS_TEST_UNRELATED": "kept",
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s=%q, want %q", k, env[k], v)
		}
	}
	for _, k := range append(append(append([]string(nil), scrubbedVars...), profileVars...), "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_SECURITY_TOKEN") {
		if v, ok := env[k]; ok && k != "AWS_CONTAINER_CREDENTIALS_FULL_URI" && k != "AWS_CONTAINER_AUTHORIZATION_TOKEN" {
			t.Errorf("%s=%q reached the command", k, v)
		}
	}
	if strings.Contains(r.stderr, env["AWS_CONTAINER_AUTHORIZATION_TOKEN"]) {
		t.Errorf("stderr holds the token:\n%s", r.stderr)
	}

	// Even the most verbose logs hold neither the token nor the credentials.
	r = runBRS(t, "--log-level", "trace", "-c", path, "exec", "a", "--", "sh", "-c", "env; "+plugintestbin.Build(t, sdkChildPkg)+" key")
	env = envOf(r.stdout)
	if !strings.Contains(r.stdout, "key=TESTPID") || !strings.Contains(r.stderr, "[DEBUG] brs.endpoint: credentials request: role=a status=200") {
		t.Errorf("no request in the trace log:\n%s", r.stderr)
	}
	for _, secret := range []string{env["AWS_CONTAINER_AUTHORIZATION_TOKEN"], "test-secret-", "test-session-token-"} {
		if secret == "" || strings.Contains(r.stderr, secret) {
			t.Errorf("the trace log holds %q:\n%s", secret, r.stderr)
		}
	}

	// A role without a region leaves AWS_REGION alone.
	r = runBRS(t, "-c", path, "exec", "noregion", "env")
	if env := envOf(r.stdout); r.code != exitOK || env["AWS_REGION"] != "us-west-1" || !strings.HasSuffix(env["AWS_CONTAINER_CREDENTIALS_FULL_URI"], "/roles/noregion") {
		t.Errorf("noregion (no --): exit %d, AWS_REGION %q, URI %q; stderr:\n%s", r.code, env["AWS_REGION"], env["AWS_CONTAINER_CREDENTIALS_FULL_URI"], r.stderr)
	}

	// --keep-aws-config keeps the files and the profile, never the keys.
	r = runBRS(t, "-c", path, "exec", "--keep-aws-config", "a", "--", "env")
	env = envOf(r.stdout)
	if r.code != exitOK || env["AWS_PROFILE"] != "parent" || env["AWS_CONFIG_FILE"] == os.DevNull || env["AWS_CONFIG_FILE"] == "" {
		t.Errorf("--keep-aws-config: exit %d, AWS_PROFILE %q, AWS_CONFIG_FILE %q", r.code, env["AWS_PROFILE"], env["AWS_CONFIG_FILE"])
	}
	if _, ok := env["AWS_ACCESS_KEY_ID"]; ok {
		t.Error("--keep-aws-config: AWS_ACCESS_KEY_ID reached the command")
	}
	if want := `brs: warning: --keep-aws-config: AWS profile "parent" has credential settings (` + os.Getenv("AWS_CONFIG_FILE") +
		`: credential_process), which AWS SDKs use before the endpoint: env may not run with role "a"`; !strings.Contains(r.stderr, want) {
		t.Errorf("--keep-aws-config: no warning %q in:\n%s", want, r.stderr)
	}
}

// TestExecGoSDK runs a Go program that uses aws-sdk-go-v2's default chain under brs
// exec, with other credentials planted everywhere the chain looks first: it gets the
// role's credentials from the endpoint.
func TestExecGoSDK(t *testing.T) {
	child := plugintestbin.Build(t, sdkChildPkg)
	path := writeHCL(t, t.TempDir(), "brs.hcl", execRoles)
	plantParentCredentials(t)
	r := runBRS(t, "-c", path, "exec", "a", "--", child, "key")
	if r.code != exitOK {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "key=TESTPID") || !strings.Contains(r.stdout, " source=CredentialsEndpointProvider region=eu-west-3\n") {
		t.Errorf("the program did not use the endpoint: %q", r.stdout)
	}
}

func TestExecExitStatus(t *testing.T) {
	dir := t.TempDir()
	path := writeHCL(t, dir, "brs.hcl", execRoles)
	notExec := writeHCL(t, dir, "not-executable", "#!/bin/sh\n")
	marker := filepath.Join(dir, "ran")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"exit code", []string{"a", "--", "sh", "-c", "exit 7"}, 7, ""},
		{"killed by a signal", []string{"a", "--", "sh", "-c", "kill -KILL $$"}, 128 + 9, ""},
		{"not found", []string{"a", "--", "brs-no-such-command"}, exitNotFound, `exec: exec: "brs-no-such-command": executable file not found in $PATH`},
		{"cannot run", []string{"a", "--", notExec}, exitCannotRun, "permission denied"},
		{"no credentials", []string{"denied", "--", "touch", marker}, exitError, `"brs status" shows every role's state and last error`},
		{"unknown role", []string{"nope", "--", "touch", marker}, exitError, `no role "nope"`},
		{"no command", []string{"a", "--"}, exitUsage, "exec needs ROLE -- CMD"},
		{"no command, no --", []string{"a"}, exitUsage, "exec needs ROLE -- CMD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runBRS(t, append([]string{"-c", path, "exec"}, tc.args...)...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("exit %d, want %d; stderr:\n%s\nwant %q", r.code, tc.code, r.stderr, tc.stderr)
			}
		})
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran although the role has no credentials")
	}
}

// TestExecSlowFetch: a fetch that takes longer than slowFetch says what it waits for.
func TestExecSlowFetch(t *testing.T) {
	old := slowFetch
	slowFetch = 10 * time.Millisecond
	t.Cleanup(func() { slowFetch = old })
	path := writeHCL(t, t.TempDir(), "brs.hcl", `plugin "test" {
  command = "{{test}}"
}

role "stuck" {
  source = "test"
  refresh {
    timeout = "500ms"
  }
  config {
    hang = true
  }
}
`)
	r := runBRS(t, "-c", path, "exec", "stuck", "--", "true")
	if r.code != exitError {
		t.Errorf("exit %d, want %d", r.code, exitError)
	}
	for _, w := range []string{`brs: waiting for credentials of role "stuck" from source "test"…` + "\n", "did not answer in time"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr does not say %q:\n%s", w, r.stderr)
		}
	}
}

// startBRS runs the real brs binary in a session of its own (so no terminal decides
// which signals reach its command) and returns it with its stdout.
func startBRS(t *testing.T, args ...string) (*exec.Cmd, *bufio.Reader, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(plugintestbin.Build(t, brsPkg), args...)
	proctest.NewSession(cmd)
	cmd.WaitDelay = 5 * time.Second // a process brs left behind may hold stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd, bufio.NewReader(stdout), stderr
}

// readUntil reads lines until one starts with prefix, and returns it.
func readUntil(t *testing.T, r *bufio.Reader, prefix string) string {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if strings.HasPrefix(line, prefix) {
			return strings.TrimSuffix(line, "\n")
		}
		if err != nil {
			t.Fatalf("no line starting with %q: %v", prefix, err)
		}
	}
}

func TestProfileCredentials(t *testing.T) {
	dir := t.TempDir()
	config := writeHCL(t, dir, "config", `[default]
region = eu-west-1
[profile   ci]
# aws_access_key_id = commented out
sso_session = corp
[profile quiet]
region = us-east-1
`)
	creds := writeHCL(t, dir, "credentials", "[default]\nAWS_ACCESS_KEY_ID = AKIA\n[quiet]\n; nothing\n")
	env := map[string]string{"AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": creds}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for profile, want := range map[string]string{"": creds + ": aws_access_key_id", "ci": config + ": sso_session", "quiet": ""} {
		env["AWS_PROFILE"] = profile
		got, found := profileCredentials(lookup)
		if strings.Join(found, ";") != want || (profile != "" && got != profile) {
			t.Errorf("profile %q: got %q %q, want %q", profile, got, found, want)
		}
	}
	// Without the variables: ~/.aws under HOME; a missing file is no finding.
	env = map[string]string{"HOME": dir, "AWS_DEFAULT_PROFILE": "ci"}
	if p, found := profileCredentials(lookup); p != "ci" || found != nil {
		t.Errorf("no files: %q %q", p, found)
	}
	writeHCL(t, dir, ".aws/config", "[profile ci]\ncredential_process = x\n")
	if _, found := profileCredentials(lookup); strings.Join(found, ";") != filepath.Join(dir, ".aws", "config")+": credential_process" {
		t.Errorf("~/.aws/config: %q", found)
	}
}
