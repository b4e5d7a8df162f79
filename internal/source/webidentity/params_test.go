package webidentity_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/webidentity"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// opaqueToken is a token that is not a JWT, so the source sends it without looking at
// it; the fake STS does not verify tokens.
const opaqueToken = "opaque-web-identity-token-0123456789"

// TestParameters checks what AssumeRoleWithWebIdentity is sent, in-process and over
// gRPC: the token read from the file, every attribute, and no signature.
func TestParameters(t *testing.T) {
	for via, r := range map[string]shared.Refresher{"in-process": webidentity.New(), "over gRPC": plugintest.Connect(t, webidentity.New())} {
		t.Run(via, func(t *testing.T) {
			f := startFakeSTS(t)
			path := tokenPath(t)
			writeToken(t, path, opaqueToken+"\n")
			cfg := strings.Replace(fullConfig, "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", path, 1)
			start := time.Now()
			creds, err := sourcetest.Refresh(context.Background(), r, request(f.URL, cfg))
			if err != nil {
				t.Fatal(err)
			}
			if creds.AccessKeyID != fakeAccessKeyID || creds.SecretAccessKey != fakeSecret || creds.SessionToken != fakeToken ||
				creds.ARN != fakeRoleARN || creds.AccountID != "123456789012" || creds.Expires.Before(start.Add(59*time.Minute)) {
				t.Errorf("got %v", creds)
			}
			forms := f.Requests()
			if len(forms) != 1 {
				t.Fatalf("%d requests", len(forms))
			}
			want := map[string]string{
				"Action":                  "AssumeRoleWithWebIdentity",
				"RoleArn":                 "arn:aws:iam::111122223333:role/pods",
				"RoleSessionName":         "ci-deploy",
				"WebIdentityToken":        opaqueToken,
				"DurationSeconds":         "2700",
				"PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
			}
			for k, v := range want {
				if got := forms[0].Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if !strings.Contains(forms[0].Get("Policy"), `"Action": "s3:*"`) {
				t.Errorf("Policy = %q", forms[0].Get("Policy"))
			}
			if auth := f.Authorizations()[0]; auth != "" {
				t.Errorf("the call was signed: Authorization %q", auth)
			}
		})
	}
}

// TestDefaults checks the session name and duration sent when the config leaves them
// out, and that token_command's output is the token.
func TestDefaults(t *testing.T) {
	f := startFakeSTS(t)
	_, err := sourcetest.Refresh(context.Background(), webidentity.New(), request(f.URL,
		`{"role_arn": "arn:aws:iam::111122223333:role/pods", "token_command": "echo 'asking' >&2; echo `+opaqueToken+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	form := f.Requests()[0]
	for k, v := range map[string]string{"RoleSessionName": "brs-pods", "DurationSeconds": "3600", "WebIdentityToken": opaqueToken, "Policy": ""} {
		if got := form.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

// TestErrorClassification checks that STS's error answers become permanent or
// retryable errors that keep the AWS code, say where the token came from, and never
// hold the token, even when the server echoes it.
func TestErrorClassification(t *testing.T) {
	cases := []struct {
		status    int
		code      string
		retryable bool
		advice    string
	}{
		{403, "AccessDenied", false, "trust policy"},
		{400, "IDPRejectedClaim", false, "audience (aud)"},
		{400, "InvalidIdentityToken", true, "registered as an identity provider"},
		{400, "ExpiredTokenException", true, "reads a new one"},
		{400, "IDPCommunicationError", true, "could not reach the identity provider"},
		{400, "MalformedPolicyDocument", false, "policy"},
		{400, "PackedPolicyTooLarge", false, "shorten"},
		{403, "RegionDisabledException", false, "region"},
		{400, "InvalidParameterValue", false, "MinIO"},
		{400, "ValidationError", false, "MaxSessionDuration"},
		{400, "SomethingNew", false, ""},
		{400, "Throttling", true, "retrying"},
		{500, "InternalFailure", true, "retrying"},
		{503, "ServiceUnavailable", true, "retrying"},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			t.Parallel()
			f := startFakeSTS(t)
			f.FailWith(c.status, c.code, "the server says no to "+opaqueToken)
			path := tokenPath(t)
			writeToken(t, path, opaqueToken)
			_, err := sourcetest.Refresh(context.Background(), webidentity.New(), request(f.URL, fileConfig(path)))
			e := sharedError(t, err, c.code, c.retryable, opaqueToken)
			for _, want := range []string{"the server says no to [redacted]", "arn:aws:iam::111122223333:role/pods", "the token file " + path, "fake-request-id", c.advice} {
				if !strings.Contains(e.Message, want) {
					t.Errorf("message %q does not contain %q", e.Message, want)
				}
			}
			if !c.retryable && len(f.Requests()) != 1 {
				t.Errorf("a permanent error was tried %d times", len(f.Requests()))
			}
		})
	}
}

// TestClosedPort checks that an endpoint nobody listens on is a retryable network error.
func TestClosedPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	path := tokenPath(t)
	writeToken(t, path, opaqueToken)
	_, err = sourcetest.Refresh(context.Background(), webidentity.New(), request(endpoint, fileConfig(path)))
	e := sharedError(t, err, "NetworkError", true, opaqueToken)
	if !strings.Contains(e.Message, "connection refused") {
		t.Errorf("message %q does not say the connection was refused", e.Message)
	}
}
