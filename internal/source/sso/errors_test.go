package sso_test

import (
	"context"
	"github.com/brs-go/brs/internal/testutil/fifotest"
	"net"
	"os"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/sso"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/internal/testutil/ssotest"
)

// sessionAdvice is what a refresh that needs a new login must tell the user to run.
const sessionAdvice = `run "aws sso login --sso-session my-sso"`

// TestLoginNeeded checks the failures only a new `aws sso login` can fix: each is
// permanent, says exactly what to run, and holds no token.
func TestLoginNeeded(t *testing.T) {
	expired := time.Now().Add(-time.Hour)
	noRefresh := cliToken(expired)
	delete(noRefresh, "refreshToken")
	registrationOver := cliToken(expired)
	registrationOver["registrationExpiresAt"] = stamp(expired)

	cases := []struct {
		name    string
		fields  map[string]any // nil: no cache file
		setup   func(f *ssotest.Server)
		code    string
		message string // a fragment the message must hold besides the advice
	}{
		{name: "no cache file", code: "SSOTokenNotFound", message: "no cached SSO token at"},
		{name: "no access token", fields: map[string]any{"startUrl": startURL, "expiresAt": stamp(time.Now().Add(time.Hour))},
			code: "SSOTokenNotFound", message: "holds no token"},
		{name: "expired without refresh token", fields: noRefresh, code: "SSOTokenExpired", message: "holds no refresh token"},
		{name: "expired client registration", fields: registrationOver, code: "SSOTokenExpired", message: "client registration expired"},
		{name: "invalid_grant", fields: cliToken(expired), code: "InvalidGrantException", message: "Invalid refresh token provided",
			setup: func(f *ssotest.Server) {
				f.FailOIDC(400, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided")
			}},
		{name: "refresh token expired", fields: cliToken(expired), code: "ExpiredTokenException", message: "can no longer be renewed",
			setup: func(f *ssotest.Server) {
				f.FailOIDC(400, "ExpiredTokenException", "expired_token", "Refresh token has expired")
			}},
		{name: "client registration refused", fields: cliToken(expired), code: "InvalidClientException", message: "can no longer be renewed",
			setup: func(f *ssotest.Server) { f.AddClient(clientID, "another-secret-0123456789") }},
		{name: "portal refuses the token", fields: cliToken(time.Now().Add(time.Hour)), code: "UnauthorizedException", message: "portal refused",
			setup: func(f *ssotest.Server) { f.RevokeAccessToken(accessToken) }},
		{name: "another start URL", fields: func() map[string]any {
			m := cliToken(time.Now().Add(time.Hour))
			m["startUrl"] = "https://d-0000000000.awsapps.com/start"
			return m
		}(), code: "SSOStartURLMismatch", message: "is for the start URL https://d-0000000000.awsapps.com/start"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, dir := startFake(t), t.TempDir()
			if c.fields != nil {
				writeCache(t, dir, session, c.fields)
			}
			if c.setup != nil {
				c.setup(f)
			}
			_, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
			e := sharedError(t, err, c.code, false)
			hasAll(t, e.Message, c.message, sessionAdvice, "[sso-session my-sso]", "sso_start_url = "+startURL, "sso_region = "+region)
			noSecrets(t, err.Error(), "another-secret-0123456789")
		})
	}
}

// TestLegacyLoginAdvice checks the advice of the legacy form, whose tokens cannot be
// renewed.
func TestLegacyLoginAdvice(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	writeCache(t, dir, startURL, map[string]any{
		"startUrl": startURL, "region": region, "accessToken": accessToken, "expiresAt": "2020-01-01T00:00:00UTC",
	})
	cfg := mustJSON(map[string]string{"start_url": startURL, "sso_region": region, "account_id": account, "role_name": roleName, "cache_dir": dir})
	_, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, cfg))
	e := sharedError(t, err, "SSOTokenExpired", false)
	hasAll(t, e.Message, "expired at 2020-01-01T00:00:00Z", "legacy", `"aws sso login --profile PROFILE"`, "sso_start_url = "+startURL, "switch this role to sso_session",
		"the AWS CLI writes the token to ~/.aws/sso/cache/")
	noSecrets(t, err.Error())
}

// TestRetryableFailures checks that server and network failures are retryable, that
// the SDK tries only twice (the host does the backoff) and that no token leaks.
func TestRetryableFailures(t *testing.T) {
	t.Run("portal 500", func(t *testing.T) {
		f, dir := startFake(t), t.TempDir()
		writeCache(t, dir, session, cliToken(time.Now().Add(time.Hour)))
		f.FailPortal(500, "InternalServerException", "the portal is down: "+accessToken)
		_, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
		e := sharedError(t, err, "InternalServerException", true)
		hasAll(t, e.Message, "GetRoleCredentials for role ReadOnly in account 111122223333", "HTTP 500", "fake-sso-request-id", "retrying later", "[redacted]")
		noSecrets(t, err.Error())
		if n := len(f.PortalCalls()); n != 2 {
			t.Errorf("the portal was called %d times, want 2", n)
		}
	})
	t.Run("portal throttles", func(t *testing.T) {
		f, dir := startFake(t), t.TempDir()
		writeCache(t, dir, session, cliToken(time.Now().Add(time.Hour)))
		f.FailPortal(429, "TooManyRequestsException", "slow down")
		_, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
		sharedError(t, err, "TooManyRequestsException", true)
	})
	t.Run("SSO-OIDC 500 with an expired token", func(t *testing.T) {
		f, dir := startFake(t), t.TempDir()
		path := writeCache(t, dir, session, cliToken(time.Now().Add(-time.Minute)))
		f.FailOIDC(500, "InternalServerException", "server_error", "try again")
		_, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
		e := sharedError(t, err, "InternalServerException", true)
		hasAll(t, e.Message, "renewing the SSO token with SSO-OIDC CreateToken", "try again")
		noSecrets(t, err.Error())
		if got := readCache(t, path); got["accessToken"] != accessToken || got["refreshToken"] != refreshToken {
			t.Errorf("a failed renewal changed the cache file")
		}
	})
	t.Run("portal unreachable", func(t *testing.T) {
		f, dir := startFake(t), t.TempDir()
		writeCache(t, dir, session, cliToken(time.Now().Add(time.Hour)))
		req := request(f, sessionConfig(dir, f))
		req.Endpoint = closedPort(t)
		_, err := sourcetest.Refresh(context.Background(), sso.New(), req)
		e := sharedError(t, err, "NetworkError", true)
		hasAll(t, e.Message, "could not reach the IAM Identity Center portal", "connection refused")
		noSecrets(t, err.Error())
	})
}

// TestRenewalFailureKeepsValidToken checks static stability: when the renewal of a
// token that is still valid fails, even permanently, the token is used meanwhile.
func TestRenewalFailureKeepsValidToken(t *testing.T) {
	for _, status := range []int{500, 400} {
		f, dir := startFake(t), t.TempDir()
		writeCache(t, dir, session, cliToken(time.Now().Add(5*time.Minute)))
		f.FailOIDC(status, "InvalidGrantException", "invalid_grant", "no")
		creds, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
		if err != nil {
			t.Fatalf("HTTP %d from SSO-OIDC: Refresh: %v", status, err)
		}
		checkCredentials(t, f, creds, accessToken)
	}
}

// TestRenewalRace checks that when another process renews or logs in while this one
// renews (so that this one's refresh token is spent), the other's token is used.
func TestRenewalRace(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	path := writeCache(t, dir, session, cliToken(time.Now().Add(-time.Minute)))
	other := cliToken(time.Now().Add(time.Hour))
	other["accessToken"] = "other-process-access-token-0123"
	f.AddAccessToken("other-process-access-token-0123")
	f.OnCreateToken(func() {
		data := mustJSON(other)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Error(err)
		}
	})
	f.FailOIDC(400, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided")
	creds, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	checkCredentials(t, f, creds, "other-process-access-token-0123")
}

// TestUnassignedRole checks that a role that is not assigned to the user is a
// permanent error that points at account_id and role_name.
func TestUnassignedRole(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	writeCache(t, dir, session, cliToken(time.Now().Add(time.Hour)))
	cfg := mustJSON(map[string]string{
		"sso_session": session, "sso_start_url": startURL, "sso_region": region,
		"account_id": "444455556666", "role_name": roleName, "cache_dir": dir,
	})
	_, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, cfg))
	e := sharedError(t, err, "ForbiddenException", false)
	hasAll(t, e.Message, "No access", "check account_id and role_name", "444455556666")
}

// TestUnreadableCache checks the errors of a cache file that cannot be used.
func TestUnreadableCache(t *testing.T) {
	f, dir := startFake(t), t.TempDir()
	path := cacheFile(dir, session)
	if err := os.WriteFile(path, []byte(`{"accessToken": "`+accessToken+`", "expiresAt": 17}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
	e := sharedError(t, err, "InvalidSSOTokenCache", false)
	hasAll(t, e.Message, "expiresAt is not a string", sessionAdvice)
	noSecrets(t, err.Error())

	if err := os.WriteFile(path, []byte(accessToken+" is not JSON"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
	e = sharedError(t, err, "InvalidSSOTokenCache", false)
	hasAll(t, e.Message, "not a JSON object")
	noSecrets(t, err.Error())

	// Only a regular file of at most 256 KiB is read: a directory, a symlink to
	// /dev/zero (which would fill memory) or a named pipe (which would block) where
	// the file should be is refused by kind, a huge file by size.
	kinds := map[string]func() error{
		"it is a directory, not a regular file":        func() error { return os.Mkdir(path, 0o700) },
		"it is a character device, not a regular file": func() error { return os.Symlink("/dev/zero", path) },
		"it is a named pipe, not a regular file":       func() error { return fifotest.Mkfifo(path, 0o600) },
		"it is larger than 256 KiB":                    func() error { return os.WriteFile(path, make([]byte, 256<<10+1), 0o600) },
	}
	for want, create := range kinds {
		if err := os.RemoveAll(path); err != nil {
			t.Fatal(err)
		}
		if err := create(); err != nil {
			t.Fatal(err)
		}
		_, err = sourcetest.Refresh(context.Background(), sso.New(), request(f, sessionConfig(dir, f)))
		e = sharedError(t, err, "InvalidSSOTokenCache", false)
		hasAll(t, e.Message, "the SSO token cache file "+path+" cannot be used: "+want, sessionAdvice)
	}
}

// closedPort returns the URL of a loopback port nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return url
}
