package plugintest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// bad breaks every rule the conformance suite checks: an attribute name the host
// refuses, an error instead of diagnostics for a bad config, a sensitive value echoed
// in a diagnostic, and a Refresh that ignores its context.
type bad struct{}

func (bad) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "breaks the rules", Attributes: []shared.Attribute{
		{Name: "BadName", Type: shared.TypeString, Description: "not lower_snake_case"},
		{Name: "password", Type: shared.TypeString, Sensitive: true, Description: "a secret"},
	}}}, nil
}

func (bad) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	var c map[string]string
	if err := json.Unmarshal(req.Config, &c); err != nil || c["BadName"] == "" {
		return nil, errors.New("bad config")
	}
	if p := c["password"]; p != "" {
		return &shared.ValidateResponse{Diagnostics: shared.Diagnostics{shared.WarningDiag("password", "Weak password", "%q is weak", p)}}, nil
	}
	return &shared.ValidateResponse{}, nil
}

// never is never closed: bad's Refresh waits on it whatever its context says.
var never = make(chan struct{})

func (bad) Refresh(context.Context, *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	<-never // the misbehaviour under test: the context is ignored, and Refresh hangs
	return nil, shared.Permanent("Nope", "no")
}

// TestConformanceCatchesBadRefresher runs the suite on bad in a subprocess (a failing
// suite fails its test) and checks that it reports each broken rule.
func TestConformanceCatchesBadRefresher(t *testing.T) {
	if os.Getenv("PLUGINTEST_RUN_BAD") == "1" {
		plugintest.Conformance(t, bad{}, plugintest.ConformanceOpts{
			ValidConfig:    shared.Config(`{"BadName": "x"}`),
			InvalidConfigs: []shared.Config{shared.Config(`{}`)},
			Deadline:       200 * time.Millisecond,
		})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestConformanceCatchesBadRefresher$", "-test.v")
	cmd.Env = append(os.Environ(), "PLUGINTEST_RUN_BAD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the suite passed a refresher that breaks every rule:\n%s", out)
	}
	for _, want := range []string{
		"--- FAIL: TestConformanceCatchesBadRefresher/schema", "lower_snake_case",
		"--- FAIL: TestConformanceCatchesBadRefresher/validate", "returned an error instead of diagnostics",
		"--- FAIL: TestConformanceCatchesBadRefresher/cancel", "did not return within 200ms after its context was done",
		"--- FAIL: TestConformanceCatchesBadRefresher/secrets", `"\"[SECRET]\" is weak"`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the suite's report lacks %q:\n%s", want, out)
		}
	}
}

// asker asks for a PIN (shared.InputRequired) and refreshes with the right answer;
// with tooMany it asks more questions than a host takes.
type asker struct{ tooMany bool }

func (asker) Schema(context.Context, *shared.SchemaRequest) (*shared.SchemaResponse, error) {
	return &shared.SchemaResponse{Schema: shared.Schema{Description: "asks for a PIN", Attributes: []shared.Attribute{
		{Name: "user", Type: shared.TypeString, Description: "who"},
	}}, Environment: []string{}}, nil
}

func (asker) Validate(_ context.Context, req *shared.ValidateRequest) (*shared.ValidateResponse, error) {
	var c map[string]any
	if err := json.Unmarshal(req.Config, &c); err != nil {
		return nil, err
	}
	for k := range c {
		if k != "user" {
			return &shared.ValidateResponse{Diagnostics: shared.Diagnostics{shared.ErrorDiag("", "Unknown attribute", "%s is not an attribute", k)}}, nil
		}
	}
	return &shared.ValidateResponse{}, nil
}

func (a asker) Refresh(_ context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	var c map[string]any
	if err := json.Unmarshal(req.Config, &c); err != nil || len(c) != 1 {
		return nil, shared.Permanent("InvalidConfig", "bad config")
	}
	if req.Answers == nil {
		n := 1
		if a.tooMany {
			n = shared.MaxPrompts + 1
		}
		var ps []shared.Prompt
		for i := range n {
			ps = append(ps, shared.Prompt{ID: fmt.Sprintf("pin%d", i), Text: "PIN: ", Secret: true})
		}
		return nil, shared.InputRequired("a PIN is needed and nobody can be asked: set pin_command", ps...)
	}
	if req.Answers["pin0"] != "2718" {
		return nil, shared.Permanent("WrongPIN", "wrong PIN")
	}
	return &shared.RefreshResponse{Credentials: shared.Credentials{AccessKeyID: "AKIAASKERTEST0000001", SecretAccessKey: "asker-secret",
		Expires: time.Now().Add(time.Hour)}}, nil
}

// TestConformancePrompt: a source that asks as the contract says passes the prompt
// check; one whose prompts a host would drop (more than shared.MaxPrompts) fails it,
// saying so.
func TestConformancePrompt(t *testing.T) {
	opts := func() plugintest.ConformanceOpts {
		return plugintest.ConformanceOpts{
			ValidConfig: shared.Config(`{"user": "ana"}`),
			NeverWaits:  true,
			Prompted:    &shared.RefreshRequest{Role: "conformance", Config: shared.Config(`{"user": "ana"}`)},
			Answers: func(ps []shared.Prompt) map[string]string {
				m := map[string]string{}
				for _, p := range ps {
					m[p.ID] = "2718"
				}
				return m
			},
		}
	}
	if os.Getenv("PLUGINTEST_RUN_TOO_MANY") == "1" {
		plugintest.Conformance(t, asker{tooMany: true}, opts())
		return
	}
	plugintest.Conformance(t, asker{}, opts())
	cmd := exec.Command(os.Args[0], "-test.run=^TestConformancePrompt$", "-test.v")
	cmd.Env = append(os.Environ(), "PLUGINTEST_RUN_TOO_MANY=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--- FAIL: TestConformancePrompt/prompt") || !strings.Contains(string(out), "reached the host without prompts") {
		t.Errorf("the suite passed, or did not say why, a source asking %d questions:\n%s", shared.MaxPrompts+1, out)
	}
}
