package host_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/shared"
)

// asked records what a Prompter was asked and answers with answer.
type asked struct {
	mu      sync.Mutex
	roles   []string
	prompts [][]shared.Prompt
	answer  func(ps []shared.Prompt) map[string]string
}

func (a *asked) prompt(_ context.Context, role string, ps []shared.Prompt) (map[string]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.roles = append(a.roles, role)
	a.prompts = append(a.prompts, ps)
	return a.answer(ps), nil
}

func (a *asked) calls() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.roles)
}

func answerAll(s string) func([]shared.Prompt) map[string]string {
	return func(ps []shared.Prompt) map[string]string {
		m := map[string]string{}
		for _, p := range ps {
			m[p.ID] = s
		}
		return m
	}
}

const promptHCL = `
plugin "test" {
  command = "{{test}}"
}
role "p" {
  source = "test"
  config {
    ask = "open sesame"
  }
}
role "c" {
  source      = "test"
  source_role = "p"
}
role "hostile" {
  source = "test"
  config {
    ask      = "x"
    ask_text = "\u001b]0;pwned\u0007Passphrase\u001b[2J: "
  }
}
role "many" {
  source = "test"
  config {
    ask         = "x"
    ask_prompts = 5
  }
}
`

// TestPrompter: a source (a plugin subprocess, over gRPC) that needs an answer from a
// person fails with its message when the call has no prompter, and is asked through
// the caller's prompter, once, when it has one: at once, despite the hold after the
// failure; through a source_role chain; with the plugin's text cleaned of terminal
// controls; never with more prompts than the host bounds; and an answer to a prompt
// that was not asked is refused.
func TestPrompter(t *testing.T) {
	h := load(t, promptHCL)
	ctx := context.Background()

	_, err := h.Credentials(ctx, "p")
	var se *shared.Error
	if !errors.As(err, &se) || se.Code != shared.CodeInputRequired || !strings.Contains(err.Error(), "nobody can be asked") {
		t.Fatalf("without a prompter: %v; want the source's InputRequired message", err)
	}

	a := &asked{answer: answerAll("open sesame")}
	pctx := host.ContextWithPrompter(ctx, a.prompt)
	creds, err := h.Credentials(pctx, "p")
	if err != nil || !strings.HasPrefix(creds.AccessKeyID, "TESTPID") {
		t.Fatalf("with a prompter, right after the failure: %v, %v", creds, err)
	}
	if a.calls() != 1 || a.roles[0] != "p" || len(a.prompts[0]) != 1 ||
		a.prompts[0][0] != (shared.Prompt{ID: "test:1", Text: "Passphrase for p: ", Secret: true}) {
		t.Fatalf("the prompter was asked %d times: %v %+v; want once, for p's passphrase", a.calls(), a.roles, a.prompts)
	}
	if _, err := h.Credentials(pctx, "p"); err != nil || a.calls() != 1 {
		t.Fatalf("cached credentials: %v, prompter asked %d times; want no new prompt", err, a.calls())
	}

	t.Run("chain", func(t *testing.T) {
		h := load(t, promptHCL)
		_, err := h.Credentials(ctx, "c")
		var se *shared.Error
		if !errors.As(err, &se) || se.Code != shared.CodeInputRequired || !strings.Contains(err.Error(), `source_role "p"`) {
			t.Fatalf("chained, without a prompter: %v; want InputRequired naming source_role p", err)
		}
		a := &asked{answer: answerAll("open sesame")}
		creds, err := h.Credentials(host.ContextWithPrompter(ctx, a.prompt), "c")
		if err != nil || !strings.HasPrefix(creds.ARN, "chained-from:") {
			t.Fatalf("chained, with a prompter, right after the failure: %+v, %v", creds, err)
		}
		if a.calls() != 1 || a.roles[0] != "p" {
			t.Fatalf("prompter asked for %v; want once, for the source_role p", a.roles)
		}
	})

	t.Run("wrong answer", func(t *testing.T) {
		h := load(t, promptHCL)
		a := &asked{answer: answerAll("guess")}
		_, err := h.Credentials(host.ContextWithPrompter(ctx, a.prompt), "p")
		if err == nil || !strings.Contains(err.Error(), "WrongAnswer") || strings.Contains(err.Error(), "guess") || a.calls() != 1 {
			t.Fatalf("wrong answer: %v after %d prompts; want the source's refusal after one, without the answer", err, a.calls())
		}
	})

	t.Run("not asked", func(t *testing.T) {
		h := load(t, promptHCL)
		a := &asked{answer: func([]shared.Prompt) map[string]string {
			return map[string]string{"test:1": "open sesame", "other": "x"}
		}}
		_, err := h.Credentials(host.ContextWithPrompter(ctx, a.prompt), "p")
		if err == nil || !strings.Contains(err.Error(), "PromptFailed") || !strings.Contains(err.Error(), "not asked (other)") {
			t.Fatalf("an answer to a prompt not asked: %v", err)
		}
	})

	t.Run("hostile text", func(t *testing.T) {
		a := &asked{answer: answerAll("x")}
		if _, err := h.Credentials(host.ContextWithPrompter(ctx, a.prompt), "hostile"); err != nil {
			t.Fatal(err)
		}
		if txt := a.prompts[0][0].Text; strings.ContainsAny(txt, "\x1b\x07") || !strings.Contains(txt, "Passphrase") {
			t.Fatalf("the prompt's text reached the prompter as %q; want its control characters escaped", txt)
		}
	})

	t.Run("too many prompts", func(t *testing.T) {
		a := &asked{answer: answerAll("x")}
		_, err := h.Credentials(host.ContextWithPrompter(ctx, a.prompt), "many")
		if err == nil || !strings.Contains(err.Error(), "nobody can be asked") || a.calls() != 0 {
			t.Fatalf("5 prompts: %v after %d prompts; want the source's message and no prompt", err, a.calls())
		}
	})
}
