package webidentity

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"github.com/brs-go/brs/internal/testutil/fifotest"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/shared"
)

// jwt returns an unsigned token with the shape of a JWT and the given payload.
func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".c2lnbmF0dXJl"
}

func TestJWTExpiry(t *testing.T) {
	cases := []struct {
		token string
		want  int64 // 0: no expiry found
	}{
		{jwt(`{"exp": 1790000000, "sub": "x"}`), 1790000000},
		{jwt(`{"exp": 1790000000.7}`), 1790000000},
		{jwt(`{"sub": "x"}`), 0},
		{jwt(`{"exp": "soon"}`), 0},
		{jwt(`not json`), 0},
		{"opaque-token-without-dots", 0},
		{"a.b", 0},
		{"a.!!!.c", 0},
		{strings.TrimSuffix(jwt(`{"exp": 1790000000}`), ".c2lnbmF0dXJl") + "==.c2ln", 1790000000},
	}
	for _, c := range cases {
		exp, ok := jwtExpiry(c.token)
		if ok != (c.want != 0) || ok && exp.Unix() != c.want {
			t.Errorf("jwtExpiry(%q) = %v, %v; want %d", c.token, exp, ok, c.want)
		}
	}
}

func TestCheckExpiry(t *testing.T) {
	now := time.Unix(1790000000, 0)
	expired := jwt(`{"exp": 1789999700}`)
	if err := checkExpiry(jwt(`{"exp": 1790000001}`), "the token file /t", now); err != nil {
		t.Errorf("a valid token: %v", err)
	}
	if err := checkExpiry("opaque", "the token file /t", now); err != nil {
		t.Errorf("a token that is not a JWT is left to STS: %v", err)
	}
	err := checkExpiry(expired, "the token file /var/run/token", now)
	e := checkError(t, err, "TokenExpired", true, "the web identity token from the token file /var/run/token expired at 2026-09-21T14:08:20Z, 5m0s ago; the program that writes it")
	if strings.Contains(e.Error(), expired) {
		t.Errorf("error %q contains the token", e)
	}
	err = checkExpiry(jwt(`{"exp": 1790000000}`), "token_command", now)
	checkError(t, err, "TokenExpired", true, "from token_command expired at 2026-09-21T14:13:20Z, 0s ago; brs runs token_command again")
}

func TestReadTokenFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	token, err := readTokenFile(write("token", "\n  header.payload.signature \n"))
	if err != nil || token != "header.payload.signature" {
		t.Errorf("got %q, %v; want the trimmed token", token, err)
	}
	big := write("big", strings.Repeat("x", maxTokenSize))
	if token, err := readTokenFile(big); err != nil || len(token) != maxTokenSize {
		t.Errorf("a token of exactly %d bytes: %d bytes, %v", maxTokenSize, len(token), err)
	}

	missing := filepath.Join(dir, "missing")
	fifo := filepath.Join(dir, "fifo")
	if err := fifotest.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path, code string
		retryable  bool
		want       string
	}{
		{missing, "TokenFileMissing", true, "the web identity token file " + missing + " does not exist; a projected service account token appears shortly"},
		{write("empty", " \n\t"), "TokenFileEmpty", true, "is empty; the program that writes it may not have written it yet, so brs tries again"},
		{dir, "TokenFileUnreadable", true, "the web identity token file " + dir + ": it is a directory, not a regular file"},
		{fifo, "TokenFileUnreadable", true, "it is a named pipe, not a regular file"},
		{zero, "TokenFileUnreadable", true, "it is a character device, not a regular file"},
		{filepath.Join(write("file", "x"), "token"), "TokenFileUnreadable", true, "token: not a directory; brs tries again"},
		{write("huge", strings.Repeat("secret", maxTokenSize/6+1)), "InvalidToken", false, "is larger than 64 KiB, so it does not hold a token"},
	}
	for _, c := range cases {
		_, err := readTokenFile(c.path)
		e := checkError(t, err, c.code, c.retryable, c.want)
		if strings.Contains(e.Message, "secretsecret") {
			t.Errorf("message %q repeats the file's content", e.Message)
		}
	}
}

func TestTokenCommand(t *testing.T) {
	var stderr bytes.Buffer
	r := New(WithStderr(&stderr))
	ctx := context.Background()
	token, err := r.runTokenCommand(ctx, commandOnly("echo 'asking the IdP' >&2; printf '  %s\\n' header.payload.sig"))
	if err != nil || token != "header.payload.sig" || stderr.String() != "asking the IdP\n" {
		t.Errorf("got %q, %v, stderr %q", token, err, stderr.String())
	}
	cases := []struct {
		line, code string
		want       string
	}{
		{"echo header.payload.sig; exit 3", "TokenCommandFailed", "token_command exited with status 3; its standard error is in the brs log"},
		{"echo '  ' ", "TokenCommandFailed", "token_command printed nothing on standard output"},
		{"head -c 70000 /dev/zero | tr '\\0' x", "InvalidToken", "token_command printed more than 64 KiB"},
		{"/nonexistent/idp-token", "TokenCommandFailed", "status 127 (command not found)"},
	}
	for _, c := range cases {
		_, err := r.runTokenCommand(ctx, commandOnly(c.line))
		e := checkError(t, err, c.code, false, c.want)
		if strings.Contains(e.Message, "header.payload.sig") {
			t.Errorf("message %q repeats the output", e.Message)
		}
	}
}

// TestTokenCommandTimeout runs a token_command whose child outlives the time limit.
func TestTokenCommandTimeout(t *testing.T) {
	defer func(d time.Duration) { tokenCommandTimeout = d }(tokenCommandTimeout)
	tokenCommandTimeout = 200 * time.Millisecond
	start := time.Now()
	_, err := New().runTokenCommand(context.Background(), commandOnly("echo header.payload.sig; sleep 60"))
	checkError(t, err, "TokenCommandTimeout", false, "token_command did not finish within 200ms and was killed, with everything it started")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = New().runTokenCommand(ctx, commandOnly("exec sleep 60"))
	checkError(t, err, "Canceled", true, "cancelled while token_command ran")
}

func checkError(t *testing.T, err error, code string, retryable bool, want string) *shared.Error {
	t.Helper()
	var e *shared.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a *shared.Error %s", err, code)
	}
	if e.Code != code || e.Retryable != retryable {
		t.Errorf("got %+v, want code %q retryable %v", e, code, retryable)
	}
	if !strings.Contains(e.Message, want) {
		t.Errorf("message %q does not contain %q", e.Message, want)
	}
	return e
}

// TestTokenCommandStderrRedacted: what token_command prints on standard error reaches
// the log without the token, which the host cannot redact (it never sees it): the
// token it printed on standard output, and anything shaped like a JWT, also when the
// command fails after printing one.
func TestTokenCommandStderrRedacted(t *testing.T) {
	token := jwt(`{"exp": 1790000000, "sub": "ci"}`)
	other := jwt(`{"sub": "another"}`)
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	r := New(WithStderr(&stderr))
	got, err := r.runTokenCommand(context.Background(), commandOnly("set -x; t=$(cat "+file+"); echo \"debug: token=$t\" >&2; echo \"also "+other+"\" >&2; echo \"$t\""))
	if err != nil || got != token {
		t.Fatalf("got %q, %v", got, err)
	}
	if s := stderr.String(); strings.Contains(s, token) || strings.Contains(s, other) || strings.Contains(s, "eyJ") ||
		!strings.Contains(s, "debug: token=[REDACTED]") || !strings.Contains(s, "also [REDACTED]") {
		t.Errorf("stderr %q", s)
	}
	stderr.Reset()
	if _, err := r.runTokenCommand(context.Background(), commandOnly("echo \"half-done: "+other+"\" >&2; exit 1")); err == nil {
		t.Fatal("a failing command succeeded")
	}
	if s := stderr.String(); s != "half-done: [REDACTED]\n" {
		t.Errorf("stderr of the failing command %q", s)
	}
}

// commandOnly is a config with token_command set to line and nothing else.
func commandOnly(line string) settings {
	return settings{config: config{TokenCommand: line}}
}

// TestTokenCommandEnvironment: token_command gets what its role sets in env and names
// in inherit_env, and no variable of the plugin's environment besides the minimal
// ones: not the AWS credentials, not one nobody listed.
func TestTokenCommandEnvironment(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "base-secret-in-environ")
	t.Setenv("BRS_TEST_LISTED", "listed")
	t.Setenv("BRS_TEST_UNLISTED", "unlisted")
	s := commandOnly(`printf '%s|%s|%s|%s' "$CI_TOKEN" "$BRS_TEST_LISTED" "${BRS_TEST_UNLISTED-unset}" "${AWS_SECRET_ACCESS_KEY-unset}"`)
	s.Env = map[string]string{"CI_TOKEN": "from-env"}
	s.InheritEnv = []string{"BRS_TEST_LISTED"}
	got, err := New(WithStderr(io.Discard)).runTokenCommand(context.Background(), s)
	if want := "from-env|listed|unset|unset"; err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
}
