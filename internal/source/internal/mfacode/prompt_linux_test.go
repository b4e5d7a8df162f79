package mfacode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/brs-go/brs/internal/testutil/ptytest"
	"github.com/brs-go/brs/shared"
)

// The test binary runs as a helper process when this variable names a mode: "prompt"
// prompts and reports; "parent" starts a prompting child in a process group of its
// own, as the brs host starts a plugin, BRS_MFACODE_DEPTH levels down.
const (
	helperEnv  = "BRS_MFACODE_HELPER"
	depthEnv   = "BRS_MFACODE_DEPTH"
	timeoutEnv = "BRS_MFACODE_TIMEOUT"
	nameEnv    = "BRS_MFACODE_NAME"
	testSerial = "arn:aws:iam::111122223333:mfa/alice"
	testRole   = "alice-admin"
)

// report is what a helper prints on its standard output (a pipe, not the terminal).
type report struct {
	Code      string `json:"code"`
	ErrCode   string `json:"err_code"`
	Retryable bool   `json:"retryable"`
	Message   string `json:"message"`
	Echo      bool   `json:"echo"`       // the terminal echoes again afterwards
	ForeOwn   bool   `json:"fore_own"`   // a parent: its group has the terminal back
	Reporter  string `json:"reporter"`   // "prompt" or "parent"
	OtherInfo string `json:"other_info"` // a failure of the helper itself
}

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "prompt":
		os.Exit(helperPrompt())
	case "parent":
		os.Exit(helperParent())
	case "pair":
		os.Exit(helperPair())
	}
	os.Exit(m.Run())
}

func helperPrompt() int {
	timeout, _ := time.ParseDuration(os.Getenv(timeoutEnv))
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	code, err := Prompt(ctx, testRole, testSerial)
	r := report{Code: code, Reporter: "prompt"}
	if n := os.Getenv(nameEnv); n != "" {
		r.Reporter = "prompt-" + n
	}
	var e *shared.Error
	if errors.As(err, &e) {
		r.ErrCode, r.Retryable, r.Message = e.Code, e.Retryable, e.Message
	} else if err != nil {
		r.OtherInfo = err.Error()
	}
	if tty, err := os.Open("/dev/tty"); err == nil {
		if tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS); err == nil {
			r.Echo = tio.Lflag&unix.ECHO != 0
		}
		tty.Close()
	}
	return emit(r)
}

func helperParent() int {
	depth, _ := strconv.Atoi(os.Getenv(depthEnv))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	next := "prompt"
	if depth > 1 {
		next = "parent"
	}
	cmd.Env = append(os.Environ(), helperEnv+"="+next, depthEnv+"="+strconv.Itoa(depth-1))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // as host/proc.go starts a plugin
	r := report{Reporter: "parent"}
	if err := cmd.Run(); err != nil {
		r.OtherInfo = err.Error()
	}
	if tty, err := os.Open("/dev/tty"); err == nil {
		fg, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
		r.ForeOwn = err == nil && fg == unix.Getpgrp()
		tty.Close()
	}
	return emit(r)
}

// helperPair starts two prompting children at once, each in a process group of its
// own, as brs starts two plugins (an sts and a session source, say) whose roles both
// need a code.
func helperPair() int {
	errs := make(chan error, 2)
	for _, name := range []string{"a", "b"} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"=prompt", nameEnv+"="+name)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		go func() { errs <- cmd.Run() }()
	}
	r := report{Reporter: "parent"}
	for range 2 {
		if err := <-errs; err != nil {
			r.OtherInfo = err.Error()
		}
	}
	return emit(r)
}

func emit(r report) int {
	b, _ := json.Marshal(r)
	os.Stdout.Write(append(b, '\n'))
	return 0
}

// helper starts the test binary as a helper on a new pseudo-terminal (or, without
// one, in a session with no terminal) and returns the terminal and a function that
// waits for the helper and returns its reports by reporter.
func helper(t *testing.T, onTerminal bool, env ...string) (*ptytest.PTY, func() map[string]report) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	var p *ptytest.PTY
	var wait func(time.Duration) error
	if onTerminal {
		p = ptytest.Open(t)
		wait = p.Run(cmd)
	} else {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait = ptytest.Wait(t, cmd)
	}
	return p, func() map[string]report {
		t.Helper()
		if err := wait(time.Minute); err != nil {
			t.Fatalf("helper: %v", err)
		}
		reports := map[string]report{}
		for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
			var r report
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("helper output %q: %v", stdout.String(), err)
			}
			if r.OtherInfo != "" {
				t.Errorf("%s helper: %s", r.Reporter, r.OtherInfo)
			}
			reports[r.Reporter] = r
		}
		return reports
	}
}

const prompt = "MFA code for " + testSerial + ": "

// TestPromptOnTerminal: a process whose controlling terminal is a real pseudo-terminal
// asks for the code there and gets what is typed; the code is not echoed, and the
// terminal echoes again afterwards.
func TestPromptOnTerminal(t *testing.T) {
	p, wait := helper(t, true, helperEnv+"=prompt")
	p.WaitFor(prompt, 30*time.Second)
	p.Type("424242\n")
	r := wait()["prompt"]
	if r.Code != "424242" || r.ErrCode != "" {
		t.Errorf("got %+v, want the code 424242", r)
	}
	if !r.Echo {
		t.Error("the terminal does not echo after the prompt: its modes were not restored")
	}
	if strings.Contains(p.Output(), "424242") {
		t.Errorf("the code was echoed: the terminal showed %q", p.Output())
	}
}

// TestPromptFromOwnProcessGroup: a plugin runs in a process group of its own, in the
// background of the terminal brs is in the foreground of. It takes the terminal for
// the prompt (else reading stops it with SIGTTIN) and gives it back to brs's group.
func TestPromptFromOwnProcessGroup(t *testing.T) {
	p, wait := helper(t, true, helperEnv+"=parent", depthEnv+"=1")
	p.WaitFor(prompt, 30*time.Second)
	p.Type("135790\n")
	rs := wait()
	if r := rs["prompt"]; r.Code != "135790" || !r.Echo {
		t.Errorf("plugin: got %+v, want the code 135790 and echo back on", r)
	}
	if !rs["parent"].ForeOwn {
		t.Error("the parent's process group did not get the terminal back")
	}
	if strings.Contains(p.Output(), "135790") {
		t.Errorf("the code was echoed: %q", p.Output())
	}
}

// TestPromptsTakeTurns: two plugins of one brs that need a code at the same moment ask
// one after the other, each getting the line typed at its own prompt; neither is
// refused the terminal that the other holds.
func TestPromptsTakeTurns(t *testing.T) {
	p, wait := helper(t, true, helperEnv+"=pair", "XDG_RUNTIME_DIR="+t.TempDir(), "BRS_AGENT_SOCKET=")
	p.WaitFor(prompt, 30*time.Second)
	p.Type("111111\n")
	p.WaitForCount(prompt, 2, 30*time.Second)
	p.Type("222222\n")
	rs := wait()
	a, b := rs["prompt-a"], rs["prompt-b"]
	if a.ErrCode != "" || b.ErrCode != "" {
		t.Fatalf("a prompt failed: %+v, %+v", a, b)
	}
	if got := []string{a.Code, b.Code}; !(got[0] == "111111" && got[1] == "222222") && !(got[0] == "222222" && got[1] == "111111") {
		t.Errorf("codes %q, want 111111 and 222222, one each", got)
	}
}

// TestPromptRefusals: what is not 6 digits, a prompt nobody answers before the
// refresh's deadline, Ctrl-C, no terminal, and brs in the background give errors
// that say so and quote nothing typed; the terminal echoes again afterwards.
func TestPromptRefusals(t *testing.T) {
	t.Run("not a code", func(t *testing.T) {
		p, wait := helper(t, true, helperEnv+"=prompt")
		p.WaitFor(prompt, 30*time.Second)
		p.Type("hunter2 12345\n")
		r := wait()["prompt"]
		if r.ErrCode != "MFACodeInvalid" || r.Retryable || strings.Contains(r.Message, "hunter2") || !strings.Contains(r.Message, testRole) || !r.Echo {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		p, wait := helper(t, true, helperEnv+"=prompt", timeoutEnv+"=300ms")
		p.WaitFor(prompt, 30*time.Second)
		r := wait()["prompt"]
		if r.ErrCode != "Canceled" || !r.Retryable || !r.Echo {
			t.Errorf("got %+v, want a retryable Canceled with echo back on", r)
		}
	})
	t.Run("ctrl-c", func(t *testing.T) {
		p, wait := helper(t, true, helperEnv+"=parent", depthEnv+"=1")
		p.WaitFor(prompt, 30*time.Second)
		p.Type("12\x03")
		rs := wait()
		if r := rs["prompt"]; r.ErrCode != "MFAPromptInterrupted" || !r.Echo {
			t.Errorf("got %+v, want MFAPromptInterrupted with echo back on", r)
		}
		if !rs["parent"].ForeOwn {
			t.Error("the parent's process group did not get the terminal back")
		}
	})
	t.Run("no terminal", func(t *testing.T) {
		_, wait := helper(t, false, helperEnv+"=prompt")
		r := wait()["prompt"]
		if r.ErrCode != "MFAPromptUnavailable" || r.Retryable || !strings.Contains(r.Message, testRole) ||
			!strings.Contains(r.Message, "no terminal to ask on") || !strings.Contains(r.Message, "set mfa_token_command") {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("brs in the background", func(t *testing.T) {
		// The prompting process's parent is itself in a background group: the
		// terminal is someone else's, and is not taken.
		p, wait := helper(t, true, helperEnv+"=parent", depthEnv+"=2")
		rs := wait()
		if r := rs["prompt"]; r.ErrCode != "MFAPromptUnavailable" || !strings.Contains(r.Message, "not in the terminal's foreground") {
			t.Errorf("got %+v", r)
		}
		if strings.Contains(p.Output(), "MFA code") {
			t.Errorf("prompted from the background: %q", p.Output())
		}
	})
}
