package sts_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

// TestErrorClassification checks that AWS's error answers become permanent or
// retryable errors that keep the AWS code, that the SDK tries a retryable one only
// briefly (the host does the backoff), and that no message carries a secret.
func TestErrorClassification(t *testing.T) {
	cases := []struct {
		status    int
		code      string
		retryable bool
		advice    string // a fragment of the advice the message must hold
	}{
		{403, "AccessDenied", false, "trust policy"},
		{403, "InvalidClientTokenId", false, "AWS_ACCESS_KEY_ID"},
		{403, "SignatureDoesNotMatch", false, "AWS_SECRET_ACCESS_KEY"},
		{400, "ExpiredToken", false, "expired"},
		{400, "ExpiredTokenException", false, "expired"},
		{400, "MalformedPolicyDocument", false, "policy"},
		{400, "PackedPolicyTooLarge", false, "shorten"},
		{403, "RegionDisabledException", false, "region"},
		{400, "InvalidParameterValue", false, "config"},
		{400, "ValidationError", false, "1h"},
		{400, "InvalidTokenId", false, "session token"},
		{400, "InvalidIdentityToken", false, "token"},
		{400, "SomethingNew", false, ""},
		{400, "Throttling", true, "retrying"},
		{429, "TooManyRequestsException", true, "retrying"},
		{400, "IDPCommunicationError", true, "retrying"},
		{500, "InternalFailure", true, "retrying"},
		{503, "ServiceUnavailable", true, "retrying"},
		{502, "BadGateway", true, "retrying"},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			t.Parallel()
			f := startFakeSTS(t)
			f.FailWith(c.status, c.code, "the server says no")
			req := fakeRequest(f, `{"role_arn": "arn:aws:iam::111122223333:role/analytics", "mfa_serial": "arn:aws:iam::111122223333:mfa/alice", "mfa_token_command": "echo 97531 975310"}`)
			_, err := sourcetest.Refresh(context.Background(), sts.New(), req)
			e := sharedError(t, err, c.code, c.retryable)
			for _, want := range []string{"the server says no", "arn:aws:iam::111122223333:role/analytics", "fake-request-id", c.advice} {
				if !strings.Contains(e.Message, want) {
					t.Errorf("message %q does not contain %q", e.Message, want)
				}
			}
			for _, secret := range []string{req.Source.SecretAccessKey, req.Source.SessionToken, "975310"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains the secret %q", err.Error(), secret)
				}
			}
			wantAttempts := 1
			if c.retryable {
				wantAttempts = 2
			}
			if n := len(f.Requests()); n != wantAttempts {
				t.Errorf("STS was called %d times, want %d", n, wantAttempts)
			}
		})
	}
}

// TestErrorMessageRedacted checks that secrets the server echoes back are removed.
func TestErrorMessageRedacted(t *testing.T) {
	f := startFakeSTS(t)
	req := fakeRequest(f, `{"role_arn": "arn:aws:iam::111122223333:role/analytics", "mfa_serial": "arn:aws:iam::111122223333:mfa/alice", "mfa_token_command": "echo 975310"}`)
	f.FailWith(403, "AccessDenied", "bad key "+req.Source.SecretAccessKey+" token "+req.Source.SessionToken+" code 975310")
	_, err := sourcetest.Refresh(context.Background(), sts.New(), req)
	e := permanentError(t, err, "AccessDenied")
	if want := "bad key [redacted] token [redacted] code [redacted]"; !strings.Contains(e.Message, want) {
		t.Errorf("message %q does not contain %q", e.Message, want)
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
	req := shared.RefreshRequest{
		Role: "r", Config: shared.Config(minimalConfig), Region: "us-east-1",
		Endpoint: endpoint, Source: rootCreds(),
	}
	_, err = sourcetest.Refresh(context.Background(), sts.New(), req)
	e := retryableError(t, err, "NetworkError")
	if !strings.Contains(e.Message, "connection refused") {
		t.Errorf("message %q does not say the connection was refused", e.Message)
	}
}

// TestCancelledRefresh checks that a refresh whose context ends is retryable.
func TestCancelledRefresh(t *testing.T) {
	block := make(chan struct{})
	srv := newHangingServer(t, block)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := sourcetest.Refresh(ctx, sts.New(), shared.RefreshRequest{
			Role: "r", Config: shared.Config(minimalConfig), Endpoint: srv, Source: rootCreds(),
		})
		done <- err
	}()
	<-block // the request has reached the server
	cancel()
	retryableError(t, <-done, "Canceled")
}

// newHangingServer returns the URL of a server that closes block when a request
// arrives and then never answers until the test ends.
func newHangingServer(t *testing.T, block chan struct{}) string {
	stop := make(chan struct{})
	var once sync.Once
	srv := http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(block) })
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { close(stop); _ = srv.Close() })
	return "http://" + l.Addr().String()
}
