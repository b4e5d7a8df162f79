package session

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/brs-go/brs/shared"
)

// TestMFACommandMarked: mfa_token_command is marked Command, so the host refuses
// values from env() and file() in it (a command line is readable by every local user).
func TestMFACommandMarked(t *testing.T) {
	resp, err := New().Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	a, ok := resp.Schema.Attribute("mfa_token_command")
	if !ok || !a.Command {
		t.Fatalf("mfa_token_command = %+v, want Command", a)
	}
}

// TestMFACommandEnvironment: mfa_token_command gets the role's env and the variables
// named in inherit_env, and not the key that signs GetSessionToken; env and
// inherit_env are checked as sts checks them.
func TestMFACommandEnvironment(t *testing.T) {
	isolate(t, userKey, userSecret)
	t.Setenv("BRS_TEST_LISTED", "listed-value")
	f := startSTS(t)
	fake, runs := mfaCommand(t)
	cmd := `[ "$OTP_SEED" = seed-from-env ] && [ "$BRS_TEST_LISTED" = listed-value ] && [ -z "$AWS_SECRET_ACCESS_KEY" ] && [ -z "$AWS_ACCESS_KEY_ID" ] && { ` + fake + `; }`
	cfg := func(env string) string {
		return fmt.Sprintf(`{"mfa_serial": %q, "mfa_token_command": %q, "inherit_env": ["BRS_TEST_LISTED"]%s}`, mfaSerial, cmd, env)
	}
	if _, err := New().Refresh(context.Background(), request(f, cfg(`, "env": {"OTP_SEED": "seed-from-env"}`))); err != nil {
		t.Fatal(err)
	}
	if runs() != 1 {
		t.Errorf("the fake device's command ran %d times, want 1", runs())
	}
	// Without the seed the command fails before printing a code.
	_, err := New().Refresh(context.Background(), request(f, cfg("")))
	wantError(t, err, "MFATokenCommandFailed", "seed-from-env", userSecret)

	for c, attr := range map[string]string{
		fmt.Sprintf(`{"mfa_serial": %q, "mfa_token_command": "t", "env": {"1A": "v"}}`, mfaSerial):                 "env",
		fmt.Sprintf(`{"mfa_serial": %q, "mfa_token_command": "t", "inherit_env": ["PLUGIN_MIN_PORT"]}`, mfaSerial): "inherit_env",
	} {
		if _, ds := parseConfig(shared.Config(c)); !ds.HasErrors() || !strings.Contains(fmt.Sprint(ds), attr) {
			t.Errorf("%s: %v, want an error about %s", c, ds, attr)
		}
	}
	resp, err := New().Schema(context.Background(), &shared.SchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := resp.Schema.Attribute("env"); !ok || !a.Sensitive || a.Type != shared.TypeStringMap {
		t.Errorf("env = %+v, want a sensitive string map", a)
	}
}
