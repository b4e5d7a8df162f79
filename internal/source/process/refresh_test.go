package process_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/process"
	"github.com/brs-go/brs/internal/testutil/proctest"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// refresh runs the process source in-process with cfg, its stderr going to stderr.
func refresh(t *testing.T, stderr *sourcetest.SyncBuffer, cfg map[string]any) (shared.Credentials, error) {
	t.Helper()
	r := process.New(process.WithStderr(stderr))
	return sourcetest.Refresh(context.Background(), r, shared.RefreshRequest{Role: "helper", Config: configJSON(t, cfg)})
}

// TestGoodJSON runs a script that prints credentials, in-process and through the gRPC
// wire.
func TestGoodJSON(t *testing.T) {
	expires := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	helper := script(t, "echo 'fetching credentials' >&2\necho '"+credentialsJSON(t, expires)+"'")
	stderr := &sourcetest.SyncBuffer{}
	for via, r := range map[string]shared.Refresher{
		"in-process": process.New(process.WithStderr(stderr)),
		"over gRPC":  plugintest.Connect(t, process.New(process.WithStderr(stderr))),
	} {
		c, err := sourcetest.Refresh(context.Background(), r, shared.RefreshRequest{Role: "helper", Config: configJSON(t, map[string]any{"command": helper})})
		if err != nil {
			t.Fatalf("%s: %v", via, err)
		}
		if c.AccessKeyID != testKey || c.SecretAccessKey != testSecret || c.SessionToken != testToken || !c.Expires.Equal(expires) {
			t.Errorf("%s: got %v, want the script's credentials expiring at %v", via, c, expires)
		}
	}
	if got := stderr.String(); got != "fetching credentials\nfetching credentials\n" {
		t.Errorf("stderr = %q, want the script's standard error twice", got)
	}
}

// TestShellLine checks that command is a shell command line, as credential_process in
// ~/.aws/config is: quoting, pipes and variables work.
func TestShellLine(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "creds file.json"), []byte(credentialsJSON(t, time.Now().Add(time.Hour))), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := refresh(t, &sourcetest.SyncBuffer{}, map[string]any{"command": `cat "` + dir + `/creds file.json" | tr -d '\n'`})
	if err != nil || c.AccessKeyID != testKey {
		t.Fatalf("got %v, %v", c, err)
	}
}

// TestEnvAndDir checks that env is added to the command's environment, that the
// plugin's own environment is inherited, and that the command runs in dir.
func TestEnvAndDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BRS_TEST_INHERITED", "from-plugin")
	helper := script(t, `printf '{"Version": 1, "AccessKeyId": "%s|%s|%s", "SecretAccessKey": "s"}' "$KEY_PREFIX" "$BRS_TEST_INHERITED" "$(pwd -P)"`)
	c, err := refresh(t, &sourcetest.SyncBuffer{}, map[string]any{
		"command": helper, "dir": dir,
		"env": map[string]string{"KEY_PREFIX": "from env", "BRS_TEST_INHERITED": "overridden"},
	})
	if err != nil {
		t.Fatal(err)
	}
	real, _ := filepath.EvalSymlinks(dir)
	if want := "from env|overridden|" + real; c.AccessKeyID != want {
		t.Errorf("the command saw %q, want %q", c.AccessKeyID, want)
	}

	_, err = refresh(t, &sourcetest.SyncBuffer{}, map[string]any{"command": helper, "dir": filepath.Join(dir, "missing")})
	e := sharedError(t, err, "CommandFailed", false)
	if !strings.Contains(e.Message, "working directory") || !strings.Contains(e.Message, "missing") || !strings.Contains(e.Message, "check dir") {
		t.Errorf("message %q does not point at the missing dir", e.Message)
	}
}

// TestExitStatus checks that a failing command is a permanent error that gives its
// exit status and none of its output.
func TestExitStatus(t *testing.T) {
	stderr := &sourcetest.SyncBuffer{}
	helper := script(t, "echo '"+credentialsJSON(t, time.Now().Add(time.Hour))+"'\necho 'not logged in' >&2\nexit 3")
	_, err := refresh(t, stderr, map[string]any{"command": helper})
	e := sharedError(t, err, "CommandFailed", false)
	if want := "command exited with status 3; its standard error is in the brs log"; e.Message != want {
		t.Errorf("message %q, want %q", e.Message, want)
	}
	if strings.Contains(e.Message, "not logged in") || strings.Contains(e.Message, testKey) {
		t.Errorf("message %q repeats the command's output", e.Message)
	}
	if stderr.String() != "not logged in\n" {
		t.Errorf("stderr %q", stderr.String())
	}

	_, err = refresh(t, stderr, map[string]any{"command": "/nonexistent/credential-helper --profile x"})
	e = sharedError(t, err, "CommandFailed", false)
	if !strings.Contains(e.Message, "status 127 (command not found)") {
		t.Errorf("message %q", e.Message)
	}
}

// TestGarbage checks that output that is not credential_process JSON is a permanent
// error that does not repeat it.
func TestGarbage(t *testing.T) {
	for name, body := range map[string]string{
		"prompt":      "echo 'Password for " + testSecret + ":'",
		"half":        "printf '{\"Version\": 1, \"AccessKeyId\": \"" + testKey + "\", \"SecretAccessKey\": \"" + testSecret + "'",
		"nothing":     "true",
		"huge":        "head -c 100000 /dev/zero | tr '\\0' x; echo " + testSecret,
		"wrong shape": "echo '{\"Version\": 1, \"AccessKeyId\": \"" + testKey + "\", \"SessionToken\": \"" + testToken + "\"}'",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := refresh(t, &sourcetest.SyncBuffer{}, map[string]any{"command": script(t, body)})
			e := sharedError(t, err, "InvalidOutput", false)
			if !strings.Contains(e.Message, "standard output") {
				t.Errorf("message %q does not say where the JSON belongs", e.Message)
			}
		})
	}
}

// TestExpired checks that credentials that have already expired are refused.
func TestExpired(t *testing.T) {
	helper := script(t, "echo '"+credentialsJSON(t, time.Now().Add(-time.Hour))+"'")
	_, err := refresh(t, &sourcetest.SyncBuffer{}, map[string]any{"command": helper})
	e := sharedError(t, err, "ExpiredCredentials", false)
	if !strings.Contains(e.Message, "ago") {
		t.Errorf("message %q", e.Message)
	}
}

// TestTimeout runs a command whose child outlives the time limit: the refresh fails
// promptly and the child is killed with it.
func TestTimeout(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	helper := script(t, "sleep 60 &\necho $! > "+pidFile+"\nwait")
	start := time.Now()
	_, err := refresh(t, &sourcetest.SyncBuffer{}, map[string]any{"command": helper, "timeout": "300ms"})
	e := sharedError(t, err, "CommandTimeout", false)
	if want := "command did not finish within 300ms and was killed, with everything it started"; !strings.HasPrefix(e.Message, want) {
		t.Errorf("message %q does not start with %q", e.Message, want)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the refresh took %v", d)
	}
	proctest.WaitGone(t, proctest.ReadPID(t, pidFile))
}

// TestCancelled checks that a refresh whose caller gives up is retryable and says
// which deadline to raise.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := sourcetest.Refresh(ctx, process.New(), shared.RefreshRequest{Role: "r", Config: configJSON(t, map[string]any{"command": "exec sleep 60"})})
	e := sharedError(t, err, "Canceled", true)
	if !strings.Contains(e.Message, "refresh { timeout }") {
		t.Errorf("message %q does not name the refresh timeout", e.Message)
	}
}

func TestSourceRoleRefused(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	_, err := sourcetest.Refresh(context.Background(), process.New(), shared.RefreshRequest{
		Role: "r", Config: configJSON(t, map[string]any{"command": "touch " + marker}),
		Source: &shared.Credentials{AccessKeyID: "AKIA", SecretAccessKey: testSecret},
	})
	sharedError(t, err, "SourceRoleUnsupported", false)
	if fileExists(marker) {
		t.Errorf("the command ran")
	}
}
