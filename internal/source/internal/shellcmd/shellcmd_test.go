package shellcmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/proctest"
)

func run(t *testing.T, c Command) ([]byte, error) {
	t.Helper()
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	if c.MaxOutput == 0 {
		c.MaxOutput = 1 << 10
	}
	return Run(context.Background(), c)
}

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

// TestEnvironment checks that Env is added, that the plugin's own environment is
// inherited and that go-plugin's launch variables are not.
func TestEnvironment(t *testing.T) {
	t.Setenv("BRS_TEST_INHERITED", "inherited")
	t.Setenv("BRS_PLUGIN_MAGIC_COOKIE", "cookie")
	t.Setenv("PLUGIN_CLIENT_CERT", "cert")
	out, err := run(t, Command{
		Line: `printf '%s|%s|%s|%s' "$BRS_TEST_ADDED" "$BRS_TEST_INHERITED" "${BRS_PLUGIN_MAGIC_COOKIE-unset}" "${PLUGIN_CLIENT_CERT-unset}"`,
		Env:  []string{"BRS_TEST_ADDED=added value"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "added value|inherited|unset|unset"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
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
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
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

// TestBackgroundChildHoldsStdout checks that a command that exits 0 but leaves a
// child holding its stdout is answered after waitDelay, with what it printed.
func TestBackgroundChildHoldsStdout(t *testing.T) {
	defer func(d time.Duration) { waitDelay = d }(waitDelay)
	waitDelay = 200 * time.Millisecond
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	out, err := run(t, Command{Line: "echo answer; sleep 60 & echo $! > " + pidFile})
	if err != nil || string(out) != "answer\n" {
		t.Errorf("got %q, %v; want the answer", out, err)
	}
	_ = syscall.Kill(proctest.ReadPID(t, pidFile), syscall.SIGKILL)
}

func TestNoTimeout(t *testing.T) {
	var se *StartError
	if _, err := Run(context.Background(), Command{Line: "true"}); !errors.As(err, &se) {
		t.Errorf("no timeout: %v, want a StartError", err)
	}
}
