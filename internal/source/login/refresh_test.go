package login_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	"github.com/hashicorp/go-hclog"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/internal/source/login"
	"github.com/brs-go/brs/internal/testutil/fakesignin"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

// TestFreshCacheIsServed: credentials with more than 10 minutes left are served from
// the cache file, without a call to the sign-in service.
func TestFreshCacheIsServed(t *testing.T) {
	expires := time.Now().Add(14 * time.Minute).Truncate(time.Second)
	f, sess, dir, _ := signIn(t, expires)
	creds, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != sess.AccessKeyID || creds.SecretAccessKey != sess.SecretAccessKey || creds.SessionToken != sess.SessionToken ||
		!creds.Expires.Equal(expires) || creds.AccountID != account {
		t.Errorf("credentials %v, want the cached ones expiring %v", creds, expires)
	}
	if n := len(f.Calls()); n != 0 {
		t.Errorf("%d calls to the sign-in service, want 0", n)
	}
}

// TestRenewal: credentials close to expiry are renewed with a DPoP proof the fake
// verifies; the cache file is rewritten atomically with mode 0600, the rotated refresh
// token and every field it had (known or not); the AWS SDK's own logincreds provider
// reads the rewritten file and serves the same credentials; a second refresh uses them
// without another call.
func TestRenewal(t *testing.T) {
	f, sess, dir, path := signIn(t, time.Now().Add(5*time.Minute))
	// A field brs does not know, as a later AWS CLI might add.
	m := readCache(t, path)
	m["futureField"] = map[string]any{"kept": true}
	m["accessToken"].(map[string]any)["futureAccessField"] = "kept"
	if err := os.WriteFile(path, []byte(mustJSON(m)), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &sourcetest.SyncBuffer{}
	r := login.New(login.WithLogger(hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Trace})))
	start := time.Now()
	creds, err := sourcetest.Refresh(ctx(t), r, *request(f, dir))
	if err != nil {
		t.Fatalf("refresh: %v (calls %+v)", err, f.Calls())
	}
	if creds.AccessKeyID == sess.AccessKeyID || !strings.HasPrefix(creds.AccessKeyID, "ASIAFAKESIGNIN") || creds.AccountID != account {
		t.Errorf("credentials %v are not renewed ones", creds)
	}
	// The fake reads its clock after start and answers whole seconds: up to a
	// second past start+15m when a second begins in between.
	if d := creds.Expires.Sub(start); d < 14*time.Minute || d > 15*time.Minute+time.Second {
		t.Errorf("the renewed credentials expire in %v, want 15m", d)
	}
	calls := f.Calls()
	if len(calls) != 1 || calls[0].Status != 200 || calls[0].RefreshToken != sess.RefreshToken {
		t.Fatalf("calls %+v, want one accepted with the cached refresh token", calls)
	}

	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v, %v; want 0600", fi.Mode(), err)
	}
	m = readCache(t, path)
	at := m["accessToken"].(map[string]any)
	if at["accessKeyId"] != creds.AccessKeyID || at["expiresAt"] != creds.Expires.UTC().Format("2006-01-02T15:04:05Z") || at["accountId"] != account ||
		at["futureAccessField"] != "kept" || m["futureField"] == nil || m["identityToken"] != "fake-signin-id-token" || m["clientId"] != fakesignin.ClientID ||
		m["refreshToken"] == sess.RefreshToken || m["dpopKey"] != readCacheKey(t, sess) {
		t.Errorf("rewritten cache file: %v", m)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the cache directory holds %d entries, want the one file (no temporary left)", len(entries))
	}

	// The AWS SDK reads what brs wrote.
	sdk := logincreds.New(signin.New(signin.Options{Region: "eu-west-1", BaseEndpoint: aws.String(f.URL)}), path)
	got, err := sdk.Retrieve(ctx(t))
	if err != nil || got.AccessKeyID != creds.AccessKeyID || got.SecretAccessKey != creds.SecretAccessKey || got.SessionToken != creds.SessionToken || !got.Expires.Equal(creds.Expires) {
		t.Errorf("logincreds read %+v, %v; want brs's credentials", got, err)
	}

	again, err := sourcetest.Refresh(ctx(t), r, *request(f, dir))
	if err != nil || again.AccessKeyID != creds.AccessKeyID {
		t.Errorf("second refresh: %v, %v", again, err)
	}
	if n := len(f.Calls()); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
	if !strings.Contains(logs.String(), "renewed the aws login session") {
		t.Errorf("logs: %s", logs.String())
	}
	noSecrets(t, logs.String(), append(sess.Secrets(), creds.SecretAccessKey, creds.SessionToken, m["refreshToken"].(string)))
}

// readCacheKey returns the dpopKey the session's cache file holds.
func readCacheKey(t *testing.T, sess *fakesignin.Session) string {
	dir := t.TempDir()
	return readCache(t, sess.WriteCache(t, dir, time.Now()))["dpopKey"].(string)
}

// TestSDKRenewedFirst: when the AWS SDK (or the AWS CLI) renewed the session first,
// brs serves the credentials it wrote and spends no refresh token.
func TestSDKRenewedFirst(t *testing.T) {
	f, _, dir, path := signIn(t, time.Now().Add(-time.Minute))
	sdk := logincreds.New(signin.New(signin.Options{Region: "eu-west-1", BaseEndpoint: aws.String(f.URL)}), path)
	want, err := sdk.Retrieve(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
	if err != nil || got.AccessKeyID != want.AccessKeyID {
		t.Errorf("brs: %v, %v; want the SDK's %s", got, err, want.AccessKeyID)
	}
	if n := len(f.Calls()); n != 1 {
		t.Errorf("%d calls, want the SDK's one", n)
	}
}

// TestSessionEnded: an expired session, a missing cache file and a refresh token the
// service refuses (another program spent it) are permanent errors that say to run
// `aws login`, with no secret in them.
func TestSessionEnded(t *testing.T) {
	f, sess, dir, path := signIn(t, time.Now().Add(-time.Minute))
	f.Expire(sessionName)
	_, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
	e := sourcetest.WantError(t, err, "LoginSessionExpired", false, "run `aws login`", sessionName)
	noSecrets(t, e.Error(), sess.Secrets())

	other := f.NewSession(t, sessionName, account, time.Hour) // a new sign-in replaces the file
	other.WriteCache(t, dir, time.Now().Add(-time.Minute))
	if _, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir)); err != nil {
		t.Fatalf("after signing in again: %v", err)
	}
	// The file now holds a spent refresh token: put the old one back.
	m := readCache(t, path)
	m["refreshToken"] = other.RefreshToken
	m["accessToken"].(map[string]any)["expiresAt"] = "2020-01-01T00:00:00Z"
	if err := os.WriteFile(path, []byte(mustJSON(m)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
	e = sourcetest.WantError(t, err, "InvalidGrantException", false, "run `aws login`")
	noSecrets(t, e.Error(), append(other.Secrets(), m["refreshToken"].(string)))

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	_, err = sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
	sourcetest.WantError(t, err, "LoginSessionNotFound", false, "run `aws login`", path)
}

// TestWrongKey: a cache file whose DPoP key is not the one the session is bound to
// (a damaged or swapped file) is refused by the service, permanently.
func TestWrongKey(t *testing.T) {
	f, sess, dir, path := signIn(t, time.Now().Add(-time.Minute))
	other := f.NewSession(t, "arn:aws:iam::111122223333:user/bob", account, time.Hour)
	m := readCache(t, path)
	m["dpopKey"] = readCacheKey(t, other)
	if err := os.WriteFile(path, []byte(mustJSON(m)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
	e := sourcetest.WantError(t, err, "InvalidGrantException", false, "not bound", "run `aws login`")
	noSecrets(t, e.Error(), append(sess.Secrets(), other.Secrets()...))
}

// TestClockSkew: the DPoP proof carries the source's clock; one far from the
// service's is refused, and the error points at the clock.
func TestClockSkew(t *testing.T) {
	f, _, dir, _ := signIn(t, time.Now().Add(-time.Minute))
	clk := clock.NewFake(time.Now().Add(-10 * time.Minute))
	_, err := sourcetest.Refresh(ctx(t), login.New(login.WithClock(clk)), *request(f, dir))
	sourcetest.WantError(t, err, "ValidationException", false, "iat", "check the system clock")
}

// TestServiceFailure: throttling and server errors are retryable, and the refresh
// token is not lost: the next refresh succeeds with it.
func TestServiceFailure(t *testing.T) {
	f, _, dir, _ := signIn(t, time.Now().Add(-time.Minute))
	f.Fail(500, "InternalServerException", "server_error")
	r := login.New()
	_, err := sourcetest.Refresh(ctx(t), r, *request(f, dir))
	sourcetest.WantError(t, err, "InternalServerException", true)
	f.Fail(0, "", "")
	if _, err := sourcetest.Refresh(ctx(t), r, *request(f, dir)); err != nil {
		t.Fatalf("after the failure passed: %v", err)
	}
}

// TestUnsavedRenewalIsKept: when the renewed session cannot be written back, this
// process keeps using it, and its rotated refresh token renews the next time (the
// one in the file is spent).
func TestUnsavedRenewalIsKept(t *testing.T) {
	clk := clock.NewFake(time.Now())
	f := fakesignin.Start(t, fakesignin.Options{Clock: clk})
	dir := t.TempDir()
	f.NewSession(t, sessionName, account, time.Hour).WriteCache(t, dir, clk.Now().Add(-time.Minute))
	r := login.New(login.WithClock(clk))
	login.SetWriteToken(r, func(string) error { return errors.New("read-only file system") })
	first, err := sourcetest.Refresh(ctx(t), r, *request(f, dir))
	if err != nil {
		t.Fatal(err)
	}
	if again, err := sourcetest.Refresh(ctx(t), r, *request(f, dir)); err != nil || again.AccessKeyID != first.AccessKeyID {
		t.Errorf("within its lifetime: %v, %v; want %s again", again, err, first.AccessKeyID)
	}
	clk.Advance(6 * time.Minute)
	second, err := sourcetest.Refresh(ctx(t), r, *request(f, dir))
	if err != nil || second.AccessKeyID == first.AccessKeyID {
		t.Fatalf("next renewal: %v, %v (calls %+v)", second, err, f.Calls())
	}
}

// TestDamagedCache: a cache file that is not JSON, lacks a field or holds a key that
// is not one is a permanent error naming the file, with no panic and nothing of the
// file quoted.
func TestDamagedCache(t *testing.T) {
	f, sess, dir, path := signIn(t, time.Now().Add(-time.Minute))
	good := mustJSON(readCache(t, path))
	for name, edit := range map[string]func(m map[string]any) string{
		"not JSON":    func(map[string]any) string { return "{" + sess.RefreshToken },
		"no refresh":  func(m map[string]any) string { delete(m, "refreshToken"); return mustJSON(m) },
		"key not PEM": func(m map[string]any) string { m["dpopKey"] = sess.RefreshToken; return mustJSON(m) },
		"key not EC": func(m map[string]any) string {
			m["dpopKey"] = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"
			return mustJSON(m)
		},
		"too large": func(m map[string]any) string { m["pad"] = strings.Repeat("x", 300<<10); return mustJSON(m) },
		"expiresAt junk": func(m map[string]any) string {
			m["accessToken"].(map[string]any)["expiresAt"] = "soon"
			return mustJSON(m)
		},
	} {
		var m map[string]any
		if err := json.Unmarshal([]byte(good), &m); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(edit(m)), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
		e := sourcetest.WantError(t, err, "InvalidLoginCache", false, path, "aws login")
		noSecrets(t, e.Error(), sess.Secrets())
		if t.Failed() {
			t.Fatalf("case %s", name)
		}
	}
}

// TestConcurrentRefreshesRenewOnce: roles of one session refreshed at once renew it
// once: the renewals of one cache file are serialized, and the later ones find the
// renewed file.
func TestConcurrentRefreshesRenewOnce(t *testing.T) {
	f, _, dir, _ := signIn(t, time.Now().Add(-time.Minute))
	r := login.New()
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := sourcetest.Refresh(ctx(t), r, *request(f, dir))
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := len(f.Calls()); n != 1 {
		t.Errorf("%d calls to the sign-in service for 8 concurrent refreshes, want 1", n)
	}
}

// TestOtherProgramRenewedMeanwhile: when another program (here the AWS SDK's
// logincreds) renews the session between brs's read of the cache file and its own
// call, brs's call is refused (its refresh token is spent) and brs serves the
// credentials the other program wrote instead of failing.
func TestOtherProgramRenewedMeanwhile(t *testing.T) {
	f, _, dir, path := signIn(t, time.Now().Add(-time.Minute))
	var sdkKey string
	f.OnToken(func() {
		f.OnToken(nil) // once: the SDK's own request passes through the hook too
		sdk := logincreds.New(signin.New(signin.Options{Region: "eu-west-1", BaseEndpoint: aws.String(f.URL)}), path)
		c, err := sdk.Retrieve(ctx(t))
		if err != nil {
			t.Errorf("the SDK's renewal: %v", err)
		}
		sdkKey = c.AccessKeyID
	})
	got, err := sourcetest.Refresh(ctx(t), login.New(), *request(f, dir))
	if err != nil || sdkKey == "" || got.AccessKeyID != sdkKey {
		t.Fatalf("brs: %v, %v; want the SDK's %s", got, err, sdkKey)
	}
	calls := f.Calls()
	if len(calls) != 2 || calls[0].Status != 200 || calls[1].Code != "InvalidGrantException" {
		t.Errorf("calls %+v, want the SDK's accepted and brs's refused", calls)
	}
}

// TestNoRegion: a role without region or endpoint is warned about at load, and its
// renewal fails permanently saying to set the region, before anything is sent.
func TestNoRegion(t *testing.T) {
	f, _, dir, _ := signIn(t, time.Now().Add(-time.Minute))
	req := request(f, dir)
	req.Region, req.Endpoint = "", ""
	resp, err := login.New().Validate(ctx(t), &shared.ValidateRequest{Role: "dev", Config: req.Config})
	if err != nil || len(resp.Diagnostics) != 1 || resp.Diagnostics.HasErrors() || !strings.Contains(resp.Diagnostics[0].Detail, "region") {
		t.Errorf("Validate: %v, %v; want one warning about the region", resp, err)
	}
	resp, err = login.New().Validate(ctx(t), &shared.ValidateRequest{Role: "dev", Config: req.Config, Region: "eu-west-1"})
	if err != nil || len(resp.Diagnostics) != 0 {
		t.Errorf("Validate with a region: %v, %v", resp, err)
	}
	_, err = sourcetest.Refresh(ctx(t), login.New(), *req)
	sourcetest.WantError(t, err, "MissingRegion", false, "set the role's region")
	if n := len(f.Calls()); n != 0 {
		t.Errorf("%d calls", n)
	}
}
