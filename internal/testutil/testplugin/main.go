// Command testplugin is a refresher plugin for the host's tests: a real subprocess,
// served with the public plugin SDK, whose behaviour each role's config block picks
// (lifetime, hang, failures, bad answers, logging secrets) and whose command-line flags
// pick how it starts (garbage on stdout, exit at start, slow start, an endless line on
// stdout, a grandchild that holds its stdout and stderr, no watch of its host, SIGTERM
// ignored, no exit when asked to stop).
//
// Its access key ids read TESTPID<pid>N<n>, so a test knows which process served them.
// It mints credentials itself: it is a fake source, used where no AWS call is under
// test (process handling, caching, redaction).
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/brs-go/brs/internal/proc"
	"github.com/brs-go/brs/plugin"
	"github.com/brs-go/brs/shared"
)

// stdout and stderr are the pipes to the host, as they were before plugin.Serve
// replaced os.Stdout and os.Stderr.
var stdout, stderr = os.Stdout, os.Stderr

// startGrandchild starts a process that sleeps for a day (until it is killed, in
// practice) holding this process's stdout and stderr, and writes its process ID to
// pidFile: a plugin that leaves a helper behind.
func startGrandchild(pidFile string) error {
	cmd := exec.Command("sleep", "86400")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	return os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o600)
}

// passGate tells the test listening at path that a refresh of role starts in this
// process, and waits until it lets the refresh go on.
func passGate(path, role string) error {
	conn, err := net.Dial("unix", path)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "%d %s\n", os.Getpid(), role); err != nil {
		return err
	}
	_, err = conn.Read(make([]byte, 1))
	return err
}

type config struct {
	Lifetime   string `json:"lifetime"`
	Hang       bool   `json:"hang"`
	Fail       string `json:"fail"`
	Retryable  bool   `json:"retryable"`
	EmptyKey   bool   `json:"empty_key"`
	Expired    bool   `json:"expired"`
	LogSecrets bool   `json:"log_secrets"`
	Password   string `json:"password"`
	// Answers a hostile plugin could give, for the host's bounds.
	SecretBytes      int    `json:"secret_bytes"`
	ExpiresAt        string `json:"expires_at"`
	AccessKeyID      string `json:"access_key_id"`
	ARN              string `json:"arn"`
	FailMessage      string `json:"fail_message"`
	FailMessageBytes int    `json:"fail_message_bytes"`
	LongStderrLine   bool   `json:"long_stderr_line"`
	LogLines         int    `json:"log_lines"`
	Grandchild       string `json:"grandchild_pid_file"`
	RefreshGate      string `json:"refresh_gate"`
	// Ask is the answer the refresh needs to its prompts (shared.InputRequired);
	// AskPrompts is how many it asks (default 1), AskText their text.
	Ask        string `json:"ask"`
	AskPrompts int    `json:"ask_prompts"`
	AskText    string `json:"ask_text"`
	// Pause is never checked here: the SDK checks its bounds for a host that cannot.
	Pause shared.Duration `json:"pause"`
}

type refresher struct{ n atomic.Int64 }

func (*refresher) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{
		Description: "Test source that mints fake credentials.",
		Attributes: []shared.Attribute{
			{Name: "lifetime", Type: shared.TypeString, Description: "How long minted credentials live (Go duration, default 1h)."},
			{Name: "hang", Type: shared.TypeBool, Description: "Never answer Refresh."},
			{Name: "fail", Type: shared.TypeString, Description: "Fail every Refresh with this error code."},
			{Name: "retryable", Type: shared.TypeBool, Description: "Whether the failure is retryable."},
			{Name: "empty_key", Type: shared.TypeBool, Description: "Answer with an empty access key id."},
			{Name: "expired", Type: shared.TypeBool, Description: "Answer with credentials that expired an hour ago."},
			{Name: "log_secrets", Type: shared.TypeBool, Description: "Log the minted secrets to stderr, to test redaction."},
			{Name: "password", Type: shared.TypeString, Sensitive: true, Description: "A sensitive value, logged when log_secrets is set."},
			{Name: "secret_bytes", Type: shared.TypeNumber, Description: "Answer with a secret access key of this many bytes."},
			{Name: "expires_at", Type: shared.TypeString, Description: "Answer with this expiry (RFC 3339)."},
			{Name: "access_key_id", Type: shared.TypeString, Description: "Answer with this access key id."},
			{Name: "arn", Type: shared.TypeString, Description: "Answer with this ARN."},
			{Name: "fail_message", Type: shared.TypeString, Description: "The message of the error fail answers with."},
			{Name: "fail_message_bytes", Type: shared.TypeNumber, Description: "Pad fail's message to this many bytes."},
			{Name: "long_stderr_line", Type: shared.TypeBool, Description: "Write a 120 KB line made of the minted secret to stderr."},
			{Name: "log_lines", Type: shared.TypeNumber, Description: "Log this many lines holding the minted secret key during Refresh, before answering."},
			{Name: "grandchild_pid_file", Type: shared.TypeString, Description: "Start a process that holds stdout and stderr open, and write its PID here, before answering (or hanging)."},
			{Name: "ask", Type: shared.TypeString, Sensitive: true, Description: "Ask for this answer (an InputRequired error with prompts test:1, test:2 …) before answering; a wrong answer fails with WrongAnswer."},
			{Name: "ask_prompts", Type: shared.TypeNumber, Description: "How many prompts ask asks (default 1)."},
			{Name: "ask_text", Type: shared.TypeString, Description: "The text of ask's prompts."},
			{Name: "pause", Type: shared.TypeDuration, Max: time.Hour, Description: "Unused: a bounded duration that Validate does not check, so that only the SDK's own check refuses one out of bounds."},
			{Name: "refresh_gate", Type: shared.TypeString, Description: "Unix socket to tell, at the start of each Refresh, \"PID ROLE\\n\", and to wait on for one byte before going on: the test behind it decides whether this refresh proceeds or the process is killed in the middle of it."},
		},
	}}, nil
}

func (*refresher) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	var c config
	if err := req.Config.Decode(&c); err != nil {
		return nil, err
	}
	if c.Lifetime != "" {
		if _, err := time.ParseDuration(c.Lifetime); err != nil {
			return &shared.ValidateResponse{Diagnostics: shared.Diagnostics{{Severity: shared.SeverityError, Summary: "Invalid lifetime", Detail: err.Error(), Attribute: "lifetime"}}}, nil
		}
	}
	return &shared.ValidateResponse{}, nil
}

func (r *refresher) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	creds, err := r.refresh(ctx, req)
	if err != nil {
		return nil, err
	}
	return &shared.RefreshResponse{Credentials: creds}, nil
}

func (r *refresher) refresh(ctx context.Context, req *shared.RefreshRequest) (shared.Credentials, error) {
	var c config
	if err := req.Config.Decode(&c); err != nil {
		return shared.Credentials{}, shared.Permanent("InvalidConfig", "%v", err)
	}
	if c.Grandchild != "" {
		if err := startGrandchild(c.Grandchild); err != nil {
			return shared.Credentials{}, shared.Permanent("Grandchild", "%v", err)
		}
	}
	if c.RefreshGate != "" {
		if err := passGate(c.RefreshGate, req.Role); err != nil {
			return shared.Credentials{}, shared.Retryable("Gate", "refresh gate: %v", err)
		}
	}
	if c.Hang {
		select {} // ignore the deadline, as a truly stuck plugin would
	}
	if c.Ask != "" {
		if err := ask(c, req); err != nil {
			return shared.Credentials{}, err
		}
	}
	if c.Fail != "" {
		msg := "configured to fail"
		if c.FailMessage != "" {
			msg = c.FailMessage
		}
		if pad := c.FailMessageBytes - len(msg); pad > 0 {
			msg += strings.Repeat(" pad", pad/4+1)[:pad]
		}
		return shared.Credentials{}, &shared.Error{Code: c.Fail, Message: msg, Retryable: c.Retryable}
	}
	life := time.Hour
	if c.Lifetime != "" {
		life, _ = time.ParseDuration(c.Lifetime)
	}
	n := r.n.Add(1)
	creds := shared.Credentials{
		AccessKeyID:     fmt.Sprintf("TESTPID%dN%d", os.Getpid(), n),
		SecretAccessKey: fmt.Sprintf("test-secret-%d-%d-%s", os.Getpid(), n, req.Role),
		SessionToken:    fmt.Sprintf("test-session-token-%d-%d-%s", os.Getpid(), n, req.Role),
		Expires:         time.Now().Add(life),
		AccountID:       "123456789012",
	}
	if req.Source != nil {
		creds.ARN = "chained-from:" + req.Source.AccessKeyID
	}
	if c.EmptyKey {
		creds.AccessKeyID = ""
	}
	if c.Expired {
		creds.Expires = time.Now().Add(-time.Hour)
	}
	if c.SecretBytes > 0 {
		creds.SecretAccessKey = strings.Repeat("k", c.SecretBytes)
	}
	if c.ExpiresAt != "" {
		exp, err := time.Parse(time.RFC3339, c.ExpiresAt)
		if err != nil {
			return shared.Credentials{}, shared.Permanent("InvalidConfig", "expires_at: %v", err)
		}
		creds.Expires = exp
	}
	if c.AccessKeyID != "" {
		creds.AccessKeyID = c.AccessKeyID
	}
	if c.ARN != "" {
		creds.ARN = c.ARN
	}
	if c.LongStderrLine {
		fmt.Fprintln(os.Stderr, strings.Repeat(creds.SecretAccessKey, 120000/len(creds.SecretAccessKey)+1))
		fmt.Fprintln(os.Stderr, "after the long line")
	}
	for i := range c.LogLines {
		plugin.Logger().Info(fmt.Sprintf("line %d of %d: minted %s", i+1, c.LogLines, creds.SecretAccessKey))
	}
	if c.LogSecrets {
		log := plugin.Logger()
		log.Info("minted credentials", "secret_access_key", creds.SecretAccessKey, "session", creds.SessionToken)
		log.Info("minted " + creds.SecretAccessKey + " with token " + creds.SessionToken + " and password " + c.Password)
		fmt.Fprintln(os.Stderr, "raw stderr line: "+creds.SecretAccessKey+" "+creds.SessionToken)
		if longLogLines {
			logAcrossSplit(creds.SecretAccessKey)
		}
	}
	return creds, nil
}

func main() {
	garbage := flag.Bool("stdout-garbage", false, "print garbage to stdout before serving")
	exitAtStart := flag.Bool("exit-at-start", false, "exit 3 before serving")
	delay := flag.Duration("start-delay", 0, "wait this long before serving")
	modeFile := flag.String("start-mode-file", "", "read how to start (exit, garbage, slow) from this file, so a test can change how the next process starts")
	endless := flag.Bool("stdout-endless", false, "write to stdout forever without a newline instead of serving")
	grandchild := flag.String("grandchild-pid-file", "", "start a process that holds stdout and stderr open, and write its PID to this file, before anything else")
	ignoreHost := flag.Bool("ignore-host-pipe", false, "do not exit when stdin closes, and keep the parent-death signal the host set (as a plugin built with another SDK would)")
	ignoreTerm := flag.Bool("ignore-sigterm", false, "ignore SIGTERM")
	pidFile := flag.String("pid-file", "", "write this process's PID to this file at start")
	linger := flag.Bool("linger", false, "do not exit when the host asks the plugin to stop, until killed")
	flag.BoolVar(&longLogLines, "log-long-lines", false, "with log_secrets, also log lines longer than go-plugin reads whole, with the minted secret key across the split")
	flag.Parse()
	if *ignoreHost {
		os.Unsetenv(proc.EnvHostPipe)
	}
	if *ignoreTerm {
		signal.Ignore(syscall.SIGTERM)
	}
	if *pidFile != "" {
		if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
	if *grandchild != "" {
		if err := startGrandchild(*grandchild); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
	if *endless {
		line := []byte(strings.Repeat("x", 4096))
		for {
			if _, err := os.Stdout.Write(line); err != nil {
				os.Exit(3)
			}
		}
	}
	if *modeFile != "" {
		mode, _ := os.ReadFile(*modeFile)
		switch strings.TrimSpace(string(mode)) {
		case "exit":
			*exitAtStart = true
		case "garbage":
			*garbage = true
		case "slow":
			*delay = 10 * time.Second
		}
	}
	if *exitAtStart {
		fmt.Fprintln(os.Stderr, "testplugin: exiting at start as asked")
		os.Exit(3)
	}
	if *garbage {
		fmt.Println("hello from a plugin that writes to stdout")
	}
	if *delay > 0 {
		time.Sleep(*delay)
	}
	plugin.Serve(&plugin.ServeOpts{Name: "test", Version: "0.0.1-test", Refresher: &refresher{}})
	if *linger {
		time.Sleep(time.Hour) // the host asked to stop and the server stopped; the process does not
	}
}

// longLogLines is the -log-long-lines flag.
var longLogLines bool

// logAcrossSplit logs lines a little longer than the 64 KiB go-plugin reads a plugin's
// log stream in, with secret where the first piece ends: "@message" starts 29 bytes
// into hclog's JSON line, so a padding of 64 KiB - 29 - n puts n bytes of secret before
// the split. A few values of n cover a different JSON layout too.
func logAcrossSplit(secret string) {
	for _, n := range []int{len(secret) / 2, 1, len(secret) - 1, len(secret)/2 + 7} {
		plugin.Logger().Info(strings.Repeat("p", 64<<10-29-n) + secret + " and more")
	}
}

// ask checks req's answers to c's prompts: none is an InputRequired error.
func ask(c config, req *shared.RefreshRequest) error {
	n := max(c.AskPrompts, 1)
	if len(req.Answers) == 0 {
		text := c.AskText
		if text == "" {
			text = "Passphrase for " + req.Role + ": "
		}
		var ps []shared.Prompt
		for i := range n {
			ps = append(ps, shared.Prompt{ID: fmt.Sprintf("test:%d", i+1), Text: text, Secret: true})
		}
		return shared.InputRequired("role "+req.Role+" needs a passphrase and nobody can be asked", ps...)
	}
	for i := range n {
		if req.Answers[fmt.Sprintf("test:%d", i+1)] != c.Ask {
			return shared.Permanent("WrongAnswer", "the answer to test:%d is not the expected one", i+1)
		}
	}
	return nil
}
