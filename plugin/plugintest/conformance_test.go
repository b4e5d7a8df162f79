package plugintest_test

import (
	"context"
	"encoding/json"
	"errors"
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
