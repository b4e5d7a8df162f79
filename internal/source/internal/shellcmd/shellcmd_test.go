//go:build unix

package shellcmd

import (
	"bytes"
	"context"
	"errors"
	"github.com/brs-go/brs/internal/testutil/fifotest"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/proctest"
)

func TestStdoutCapturedStderrForwarded(t *testing.T) {
	var stderr bytes.Buffer
	out, err := run(t, Command{Line: "echo to-stdout; echo to-stderr >&2", Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "to-stdout\n" || stderr.String() != "to-stderr\n" {
		t.Errorf("stdout %q, stderr %q", out, stderr.String())
	}
}

// TestEnvironment checks that a command gets the minimal environment, the variables
// its role names in Inherit and the ones it sets in Env, and nothing else: not the
// base AWS credentials of the process that runs it, not a variable nobody listed, not
// go-plugin's launch variables.
func TestEnvironment(t *testing.T) {
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIABASEKEY", "AWS_SECRET_ACCESS_KEY": "base-secret-key", "AWS_SESSION_TOKEN": "base-session-token",
		"AWS_PROFILE": "dev", "VAULT_TOKEN": "unlisted-vault-token", "BRS_TEST_UNLISTED": "unlisted",
		"BRS_PLUGIN_MAGIC_COOKIE": "cookie", "PLUGIN_CLIENT_CERT": "cert", "LC_TIME": "C", "HOME": "/home/someone",
	} {
		t.Setenv(k, v)
	}
	out, err := run(t, Command{
		Line:    "env",
		Inherit: []string{"AWS_PROFILE", "PLUGIN_CLIENT_CERT"},
		Env:     []string{"BRS_TEST_ADDED=added value", "HOME=/home/role"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, kv := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(kv, "=")
		got[k] = v
	}
	for k, v := range map[string]string{"BRS_TEST_ADDED": "added value", "AWS_PROFILE": "dev", "LC_TIME": "C", "HOME": "/home/role", "PATH": os.Getenv("PATH")} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	allowed := map[string]bool{"BRS_TEST_ADDED": true, "AWS_PROFILE": true, "LC_TIME": true, "PWD": true, "SHLVL": true, "_": true, "OLDPWD": true}
	for _, n := range MinimalEnv() {
		allowed[n] = true
	}
	for k, v := range got {
		if !allowed[k] && !strings.HasPrefix(k, "LC_") {
			t.Errorf("the command got %s=%q, which nobody listed", k, v)
		}
		for _, secret := range []string{"base-secret-key", "base-session-token", "AKIABASEKEY", "unlisted-vault-token", "cookie"} {
			if strings.Contains(v, secret) {
				t.Errorf("the command got %s holding %q", k, secret)
			}
		}
	}
}

func TestDir(t *testing.T) {
	dir := t.TempDir()
	out, err := run(t, Command{Line: "pwd -P", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.EvalSymlinks(dir)
	if strings.TrimSpace(string(out)) != want {
		t.Errorf("ran in %q, want %q", out, want)
	}

	_, err = run(t, Command{Line: "true", Dir: filepath.Join(dir, "missing")})
	var se *StartError
	if !errors.As(err, &se) || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing") {
		t.Errorf("a missing dir: %v, want a StartError naming it", err)
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = run(t, Command{Line: "true", Dir: file})
	if !errors.As(err, &se) || err.Error() != "could not be started: working directory "+file+" is not a directory" {
		t.Errorf("a file as dir: %v", err)
	}
}

func TestExitStatus(t *testing.T) {
	cases := map[string]string{
		"echo secret-output; exit 3": "exited with status 3",
		"/nonexistent/helper":        "exited with status 127 (command not found)",
		"kill -TERM $$":              "was killed by signal terminated",
	}
	for line, want := range cases {
		_, err := run(t, Command{Line: line, Stderr: &bytes.Buffer{}})
		var ee *ExitError
		if !errors.As(err, &ee) || err.Error() != want {
			t.Errorf("%s: %v, want an ExitError %q", line, err, want)
		}
	}
	var ee *ExitError
	if _, err := run(t, Command{Line: "exit 3"}); !errors.As(err, &ee) || ee.Code != 3 {
		t.Errorf("exit 3: %#v", err)
	}
}

func TestOutputLimit(t *testing.T) {
	out, err := run(t, Command{Line: "head -c 1000 /dev/zero", MaxOutput: 1000})
	if err != nil || len(out) != 1000 {
		t.Errorf("1000 bytes at a limit of 1000: %d bytes, %v", len(out), err)
	}
	// The command goes on writing after the limit and exits normally: no SIGPIPE.
	_, err = run(t, Command{Line: "head -c 100000 /dev/zero; echo done >&2", MaxOutput: 1000, Stderr: &bytes.Buffer{}})
	if !errors.Is(err, ErrOutputTooLarge) {
		t.Errorf("100000 bytes at a limit of 1000: %v, want ErrOutputTooLarge", err)
	}
}

// TestTimeoutKillsProcessGroup runs a command whose child sleeps past the time limit
// and checks that Run returns promptly with a TimeoutError and that the child, not
// only sh, is gone.
func TestTimeoutKillsProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	start := time.Now()
	_, err := Run(context.Background(), Command{
		Line:      "sleep 60 & echo $! > " + pidFile + "; wait",
		Timeout:   300 * time.Millisecond,
		MaxOutput: 1 << 10,
	})
	var te *TimeoutError
	if !errors.As(err, &te) || te.Timeout != 300*time.Millisecond || err.Error() != "did not finish within 300ms and was killed" {
		t.Fatalf("got %v, want a TimeoutError", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Run returned after %v", d)
	}
	proctest.WaitGone(t, proctest.ReadPID(t, pidFile))
}

// TestCancelKillsProcessGroup checks that a caller giving up stops the command and
// its children, and that this is told apart from a timeout.
func TestCancelKillsProcessGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile, fifo := filepath.Join(dir, "child.pid"), filepath.Join(dir, "started")
	if err := fifotest.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, Command{
			Line:      "sleep 60 & echo $! > " + pidFile + "; echo started > " + fifo + "; wait",
			Timeout:   time.Minute,
			MaxOutput: 1 << 10,
		})
		done <- err
	}()
	if _, err := os.ReadFile(fifo); err != nil { // blocks until the command has started its child
		t.Fatal(err)
	}
	cancel()
	err := <-done
	var te *TimeoutError
	if !errors.Is(err, context.Canceled) || errors.As(err, &te) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	proctest.WaitGone(t, proctest.ReadPID(t, pidFile))
}

// TestBackgroundChildKilledWhenShExits checks that a command that exits 0 but leaves a
// child running (holding its stdout) is answered at once, with what it printed, and
// that the child is killed: a command's processes never outlive it.
func TestBackgroundChildKilledWhenShExits(t *testing.T) {
	defer func(d time.Duration) { waitDelay = d }(waitDelay)
	waitDelay = time.Minute // were the child not killed, Run would wait this long
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	done := make(chan struct{})
	var out []byte
	var err error
	go func() {
		defer close(done)
		out, err = run(t, Command{Line: "echo answer; sleep 600 & echo $! > " + pidFile})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		pid := proctest.ReadPID(t, pidFile)
		_ = syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("Run did not return while the background child %d ran", pid)
	}
	if err != nil || string(out) != "answer\n" {
		t.Errorf("got %q, %v; want the answer", out, err)
	}
	proctest.WaitGone(t, proctest.ReadPID(t, pidFile))
}

// TestSetsidChildHoldsStdout checks that a command that leaves a child outside its
// process group, holding its stdout, is still answered, after waitDelay.
func TestSetsidChildHoldsStdout(t *testing.T) {
	needtool.Path(t, "setsid", "apt-get install util-linux")
	defer func(d time.Duration) { waitDelay = d }(waitDelay)
	waitDelay = 200 * time.Millisecond
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	out, err := run(t, Command{Line: "echo answer; setsid sh -c 'echo $$ > " + pidFile + "; exec sleep 600' & while [ ! -s " + pidFile + " ]; do :; done"})
	if err != nil || string(out) != "answer\n" {
		t.Errorf("got %q, %v; want the answer", out, err)
	}
	t.Cleanup(func() { _ = syscall.Kill(proctest.ReadPID(t, pidFile), syscall.SIGKILL) })
}

func TestNoTimeout(t *testing.T) {
	var se *StartError
	if _, err := Run(context.Background(), Command{Line: "true"}); !errors.As(err, &se) {
		t.Errorf("no timeout: %v, want a StartError", err)
	}
}

// TestStopTermThenKill checks how a command is stopped: SIGTERM to its group first
// (a command that traps it says so), SIGKILL after killGrace to one that goes on.
func TestStopTermThenKill(t *testing.T) {
	defer func(d time.Duration) { killGrace = d }(killGrace)
	killGrace = 300 * time.Millisecond
	dir := t.TempDir()
	pidFile, fifo := filepath.Join(dir, "child.pid"), filepath.Join(dir, "started")
	if err := fifotest.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() {
		_, err := Run(ctx, Command{
			Line:      "trap 'echo got-TERM >&2' TERM; echo $$ > " + pidFile + "; echo started > " + fifo + "; while :; do sleep 600 & wait $!; done",
			Timeout:   time.Minute,
			MaxOutput: 1 << 10,
			Stderr:    &stderr,
		})
		done <- err
	}()
	if _, err := os.ReadFile(fifo); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if got := stderr.String(); !strings.Contains(got, "got-TERM") {
		t.Errorf("stderr %q: the command was not sent SIGTERM first", got)
	}
	proctest.WaitGone(t, proctest.ReadPID(t, pidFile))
}
