package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/keyring"
	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/fakests"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// The IAM user the fake STS knows, and its MFA device.
const (
	userKey    = "AKIAFAKEUSERKEY00001"
	userSecret = "fake/user+secret-access-key-0000000000001"
	mfaSerial  = "arn:aws:iam::111122223333:mfa/alice"
	mfaStart   = 123456
)

// startSTS starts the verifying fake STS (see fakests.Verifying: it checks signatures,
// MFA codes and durations as AWS does) with roles r1..r3 requiring MFA.
func startSTS(t *testing.T) *fakests.Verifying {
	return fakests.StartVerifying(t, fakests.VerifyingOptions{
		Users:     map[string]string{userKey: userSecret},
		MFASerial: mfaSerial, MFAStart: mfaStart,
		MFARoles: []string{roleARN(1), roleARN(2), roleARN(3)},
	})
}

func roleARN(i int) string { return fmt.Sprintf("arn:aws:iam::444455556666:role/r%d", i) }

// isolate points the default AWS chain at the user's key only, and at no shared files.
func isolate(t *testing.T, key, secret string) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "",
		"AWS_PROFILE": "", "AWS_CONFIG_FILE": filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "", "AWS_DEFAULT_REGION": "",
	} {
		t.Setenv(k, v)
	}
}

// mfaCommand returns a mfa_token_command printing the fake device's codes in order,
// and a function counting its runs.
func mfaCommand(t *testing.T) (string, func() int) {
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs")
	return fakests.MFACommand(filepath.Join(dir, "counter"), runs, mfaStart), func() int {
		b, _ := os.ReadFile(runs)
		return strings.Count(string(b), "run")
	}
}

func request(f *fakests.Verifying, cfg string) *shared.RefreshRequest {
	return &shared.RefreshRequest{Role: "mfa", Config: shared.Config(cfg), Region: "us-east-1", Endpoint: f.URL}
}

func wantError(t *testing.T, err error, code string, secrets ...string) {
	t.Helper()
	var e *shared.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a *shared.Error %s", err, code)
	}
	if e.Code != code {
		t.Errorf("code %q (%v), want %q", e.Code, e, code)
	}
	for _, s := range secrets {
		if strings.Contains(e.Error(), s) {
			t.Errorf("error %q holds a secret", e.Error())
		}
	}
}

// TestSessionWithMFA: GetSessionToken signed with the user's key, with the device's
// current code and the default duration of 12h.
func TestSessionWithMFA(t *testing.T) {
	isolate(t, userKey, userSecret)
	f := startSTS(t)
	cmd, runs := mfaCommand(t)
	r := New()
	resp, err := r.Refresh(context.Background(), request(f, fmt.Sprintf(`{"mfa_serial": %q, "mfa_token_command": %q}`, mfaSerial, cmd)))
	if err != nil {
		t.Fatal(err)
	}
	c := resp.Credentials
	if !strings.HasPrefix(c.AccessKeyID, "ASIA") || c.SessionToken == "" {
		t.Errorf("got %v, want session credentials", c)
	}
	if d := time.Until(c.Expires); d < 11*time.Hour || d > 12*time.Hour {
		t.Errorf("expires in %v, want 12h", d)
	}
	form := f.Requests()[0]
	if form.Get("DurationSeconds") != "43200" || form.Get("SerialNumber") != mfaSerial || form.Get("TokenCode") != "123456" {
		t.Errorf("request %v", form)
	}
	if runs() != 1 {
		t.Errorf("mfa_token_command ran %d times, want 1", runs())
	}
}

// TestChainedRolesShareOneMFA: three sts roles chained on the session, whose trust
// policies require MFA, are assumed (twice each, as over a session lifetime) with the
// session's credentials: the MFA command runs once.
func TestChainedRolesShareOneMFA(t *testing.T) {
	isolate(t, userKey, userSecret)
	f := startSTS(t)
	cmd, runs := mfaCommand(t)
	ctx := context.Background()
	resp, err := New().Refresh(ctx, request(f, fmt.Sprintf(`{"duration": "36h", "mfa_serial": %q, "mfa_token_command": %q}`, mfaSerial, cmd)))
	if err != nil {
		t.Fatal(err)
	}
	base := resp.Credentials
	roles := sts.New()
	for round := range 2 {
		for i := 1; i <= 3; i++ {
			out, err := roles.Refresh(ctx, &shared.RefreshRequest{Role: fmt.Sprintf("r%d", i), Region: "us-east-1", Endpoint: f.URL,
				Config: shared.Config(fmt.Sprintf(`{"role_arn": %q, "duration": "1h"}`, roleARN(i))), Source: &base})
			if err != nil {
				t.Fatalf("round %d role %d: %v", round, i, err)
			}
			if !strings.Contains(out.Credentials.ARN, fmt.Sprintf("assumed-role/r%d/", i)) {
				t.Errorf("role %d: ARN %q", i, out.Credentials.ARN)
			}
		}
	}
	if got := runs(); got != 1 {
		t.Errorf("mfa_token_command ran %d times for 6 role refreshes, want 1", got)
	}
	if f.Calls("GetSessionToken") != 1 || f.Calls("AssumeRole") != 6 {
		t.Errorf("%d GetSessionToken, %d AssumeRole calls; want 1 and 6", f.Calls("GetSessionToken"), f.Calls("AssumeRole"))
	}
	// The fake does require MFA for these roles: the user's key alone is refused.
	_, err = roles.Refresh(ctx, &shared.RefreshRequest{Role: "r1", Region: "us-east-1", Endpoint: f.URL,
		Config: shared.Config(fmt.Sprintf(`{"role_arn": %q}`, roleARN(1)))})
	wantError(t, err, "AccessDenied")
	// Chaining's 1h cap: a chained role of 2h is refused, as AWS refuses it.
	_, err = roles.Refresh(ctx, &shared.RefreshRequest{Role: "r1", Region: "us-east-1", Endpoint: f.URL,
		Config: shared.Config(fmt.Sprintf(`{"role_arn": %q, "duration": "2h"}`, roleARN(1))), Source: &base})
	wantError(t, err, "ValidationError")
}

// TestRefusals: a wrong secret, a wrong or reused MFA code, temporary base credentials
// and a source_role are refused, permanently, and no secret or code is in the error.
func TestRefusals(t *testing.T) {
	f := startSTS(t)
	ctx := context.Background()
	t.Run("wrong secret", func(t *testing.T) {
		isolate(t, userKey, "wrong-secret-access-key-000000000000")
		_, err := New().Refresh(ctx, request(f, `{}`))
		wantError(t, err, "SignatureDoesNotMatch", "wrong-secret-access-key-000000000000")
	})
	t.Run("wrong code", func(t *testing.T) {
		isolate(t, userKey, userSecret)
		_, err := New().Refresh(ctx, request(f, fmt.Sprintf(`{"mfa_serial": %q, "mfa_token_command": "echo 654321"}`, mfaSerial)))
		wantError(t, err, "AccessDenied", "654321", userSecret)
	})
	t.Run("reused code", func(t *testing.T) {
		isolate(t, userKey, userSecret)
		cmd := fmt.Sprintf(`{"mfa_serial": %q, "mfa_token_command": "echo %d"}`, mfaSerial, mfaStart)
		if _, err := New().Refresh(ctx, request(f, cmd)); err != nil {
			t.Fatal(err)
		}
		_, err := New().Refresh(ctx, request(f, cmd))
		wantError(t, err, "AccessDenied", fmt.Sprint(mfaStart))
	})
	t.Run("temporary base", func(t *testing.T) {
		isolate(t, userKey, userSecret)
		t.Setenv("AWS_SESSION_TOKEN", "some-session-token")
		_, err := New().Refresh(ctx, request(f, `{}`))
		wantError(t, err, "NoLongTermKey", userSecret, "some-session-token")
	})
	t.Run("source role", func(t *testing.T) {
		isolate(t, userKey, userSecret)
		req := request(f, `{}`)
		req.Source = &shared.Credentials{AccessKeyID: userKey, SecretAccessKey: userSecret}
		_, err := New().Refresh(ctx, req)
		wantError(t, err, "InvalidConfig", userSecret)
	})
}

// TestKeyringBase: the key that signs GetSessionToken comes from the keyring (the
// encrypted file backend) when the role names it, not from the environment.
func TestKeyringBase(t *testing.T) {
	isolate(t, "AKIAENVIRONMENTKEY01", "environment-secret-that-is-not-known")
	f := startSTS(t)
	dir := t.TempDir()
	open := func() (*keyring.Store, error) {
		return keyring.Open(keyring.Options{Backend: "file", Dir: dir, Getenv: func(k string) string {
			if k == keyring.EnvPassphrase {
				return "test passphrase"
			}
			return ""
		}})
	}
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("alice", keyring.Key{AccessKeyID: userKey, SecretAccessKey: userSecret}); err != nil {
		t.Fatal(err)
	}
	r := New()
	r.openKeyring = open
	if _, err := r.Refresh(context.Background(), request(f, `{"keyring": "alice"}`)); err != nil {
		t.Fatalf("with the keyring's key: %v", err)
	}
	_, err = r.Refresh(context.Background(), request(f, `{"keyring": "bob"}`))
	wantError(t, err, "KeyNotFound")
	// A wrong passphrase: a permanent error that quotes neither passphrase.
	r.openKeyring = func() (*keyring.Store, error) {
		return keyring.Open(keyring.Options{Backend: "file", Dir: dir, Getenv: func(k string) string {
			if k == keyring.EnvPassphrase {
				return "the wrong passphrase"
			}
			return ""
		}})
	}
	_, err = r.Refresh(context.Background(), request(f, `{"keyring": "alice"}`))
	wantError(t, err, "KeyringUnavailable", "the wrong passphrase", "test passphrase", userSecret)
	r.openKeyring = open
	// Without the keyring attribute the environment's (unknown) key signs: refused.
	_, err = r.Refresh(context.Background(), request(f, `{}`))
	wantError(t, err, "InvalidClientTokenId", "environment-secret-that-is-not-known")
}

func TestValidate(t *testing.T) {
	cases := map[string]string{
		`{"duration": "37h"}`:                  "duration",
		`{"duration": "10m"}`:                  "duration",
		`{"duration": "soon"}`:                 "duration",
		`{"mfa_token_command": "echo 123456"}`: "mfa_serial",
		`{"keyring": "a b"}`:                   "keyring",
		`{"keyring": "a", "profile": "p"}`:     "keyring",
	}
	for cfg, attr := range cases {
		_, ds := parseConfig(shared.Config(cfg))
		if !ds.HasErrors() || !strings.Contains(fmt.Sprint(ds), attr) {
			t.Errorf("%s: %v, want an error about %s", cfg, ds, attr)
		}
	}
	for _, cfg := range []string{`{"duration": "36h", "keyring": "alice"}`, `{"mfa_serial": "arn:aws:iam::111122223333:mfa/alice"}`} {
		if _, ds := parseConfig(shared.Config(cfg)); ds.HasErrors() {
			t.Errorf("valid config %s refused: %v", cfg, ds)
		}
	}
}

func TestConformance(t *testing.T) {
	isolate(t, userKey, userSecret)
	f := startSTS(t)
	cmd, _ := mfaCommand(t)
	// The checks that refresh ValidConfig (environment, cancel) run a command of their
	// own, so that the fake's device still expects the first code at opts.Refresh.
	other, _ := mfaCommand(t)
	valid := shared.Config(fmt.Sprintf(`{"duration": "1h", "mfa_serial": %q, "mfa_token_command": %q}`, mfaSerial, other))
	plugintest.Conformance(t, New(), plugintest.ConformanceOpts{
		ValidConfig:    valid,
		HangingConfig:  func(string) shared.Config { return valid },
		InvalidConfigs: []shared.Config{shared.Config(`{"duration": "48h"}`), shared.Config(`{"mfa_serial": "x"}`)},
		Refresh:        request(f, fmt.Sprintf(`{"duration": "1h", "mfa_serial": %q, "mfa_token_command": %q}`, mfaSerial, cmd)),
		Secrets:        []string{userSecret},
	})
}
