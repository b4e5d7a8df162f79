package ttyprompt_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/agentproto"
	"github.com/brs-go/brs/internal/testutil/ptytest"
	"github.com/brs-go/brs/internal/ttyprompt"
)

// helperEnv makes the test binary a helper: "answer" answers the prompts of
// $BRS_TTYPROMPT_PROMPTS (JSON) with Answer and prints the answers (or the error) as
// JSON on stdout, a pipe; "available" prints Available().
const helperEnv = "BRS_TTYPROMPT_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "answer":
		var ps []agentproto.Prompt
		if err := json.Unmarshal([]byte(os.Getenv("BRS_TTYPROMPT_PROMPTS")), &ps); err != nil {
			fmt.Println(err)
			os.Exit(2)
		}
		a, err := ttyprompt.Answer(context.Background(), "r", ps)
		if err != nil {
			_ = json.NewEncoder(os.Stdout).Encode(map[string]string{"error": err.Error()})
			os.Exit(1)
		}
		_ = json.NewEncoder(os.Stdout).Encode(a)
		os.Exit(0)
	case "available":
		fmt.Println(ttyprompt.Available())
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func helper(t *testing.T, mode string, prompts ...agentproto.Prompt) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	b, _ := json.Marshal(prompts)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "BRS_TTYPROMPT_PROMPTS="+string(b))
	out := &strings.Builder{}
	cmd.Stdout = out
	return cmd, out
}

// TestAnswerAtTerminal: the agent's prompts are asked on the controlling terminal (a
// real pseudo-terminal): a prompt's text, which comes from a source through the
// agent, reaches the terminal with its control sequences escaped; a secret's answer
// is not echoed, another's is; the answers come back by prompt id.
func TestAnswerAtTerminal(t *testing.T) {
	p := ptytest.Open(t)
	cmd, out := helper(t, "answer",
		agentproto.Prompt{ID: "user", Text: "User: "},
		agentproto.Prompt{ID: "code", Text: "\x1b]0;pwned\x07Code\x1b[2J: ", Secret: true})
	wait := p.Run(cmd)
	p.WaitFor("User: ", time.Minute)
	p.Type("alice\n")
	p.WaitFor(`Code\x1b[2J: `, time.Minute)
	p.Type("314159\n")
	if err := wait(time.Minute); err != nil {
		t.Fatalf("helper: %v\n%s\nterminal:\n%s", err, out, p.Output())
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(out.String()), &got); err != nil || got["user"] != "alice" || got["code"] != "314159" || len(got) != 2 {
		t.Fatalf("answers %q (%v)", out, err)
	}
	term := p.Output()
	if strings.ContainsAny(term, "\x1b\x07") {
		t.Errorf("the prompt's control characters reached the terminal: %q", term)
	}
	if !strings.Contains(term, "alice") {
		t.Errorf("the answer to a prompt that is not secret was not echoed: %q", term)
	}
	if strings.Contains(term, "314159") {
		t.Errorf("the secret answer was echoed: %q", term)
	}
}

// TestAvailable: a process in the foreground of its terminal can ask; one without a
// controlling terminal (a script's, a service's) cannot, so its client does not
// offer to (agentproto.Request.Prompt).
func TestAvailable(t *testing.T) {
	p := ptytest.Open(t)
	cmd, out := helper(t, "available")
	if err := p.Run(cmd)(time.Minute); err != nil || strings.TrimSpace(out.String()) != "true" {
		t.Errorf("on a terminal, in its foreground: %q, %v; want true", out, err)
	}
	cmd, out = helper(t, "available")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Run(); err != nil || strings.TrimSpace(out.String()) != "false" {
		t.Errorf("without a controlling terminal: %q, %v; want false", out, err)
	}
}
