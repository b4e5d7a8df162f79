package sts_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/plugin/plugintest"
	"github.com/brs-go/brs/shared"
)

// TestRefreshAtMinIO assumes a role at a real MinIO, in-process and across the gRPC
// wire, and uses the credentials against MinIO's S3.
func TestRefreshAtMinIO(t *testing.T) {
	srv := startMinIO(t)
	for name, r := range map[string]shared.Refresher{
		"in-process": sts.New(),
		"over gRPC":  plugintest.Connect(t, sts.New()),
	} {
		t.Run(name, func(t *testing.T) { checkRefreshes(t, srv, r) })
	}
}

// checkRefreshes refreshes twice at srv with a 15-minute duration and checks the
// credentials.
func checkRefreshes(t *testing.T, srv *miniotest.Server, r shared.Refresher) {
	t.Helper()
	start := time.Now()
	first, err := sourcetest.Refresh(context.Background(), r, minioRequest(srv, minimalConfig))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if first.AccessKeyID == "" || first.SecretAccessKey == "" || first.SessionToken == "" {
		t.Fatalf("incomplete credentials: %v", first)
	}
	if first.AccessKeyID == miniotest.RootUser {
		t.Fatalf("got the root credentials back, not temporary ones")
	}
	if want := start.Add(15 * time.Minute); first.Expires.Location() != time.UTC ||
		first.Expires.Before(want.Add(-time.Minute)) || first.Expires.After(want.Add(time.Minute)) {
		t.Errorf("Expires = %v, want about %v, in UTC", first.Expires, want.UTC())
	}
	// MinIO returns no AssumedRoleUser ARN, so there is no account either.
	if first.ARN != "" || first.AccountID != "" {
		t.Errorf("ARN %q, account %q; MinIO returns neither", first.ARN, first.AccountID)
	}
	listBuckets(t, srv, first)

	second, err := sourcetest.Refresh(context.Background(), r, minioRequest(srv, minimalConfig))
	if err != nil {
		t.Fatalf("second Refresh: %v", err)
	}
	if second.AccessKeyID == first.AccessKeyID {
		t.Errorf("two refreshes returned the same access key ID %q", first.AccessKeyID)
	}
	listBuckets(t, srv, second)
}

// TestSessionPolicyAtMinIO checks that the policy attribute reaches the server: MinIO
// applies session policies, so a policy that allows only GetObject denies ListBuckets.
func TestSessionPolicyAtMinIO(t *testing.T) {
	srv := startMinIO(t)
	cfg := `{"role_arn": "arn:aws:iam::111122223333:role/brs-test",
		"policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\"], \"Resource\": [\"arn:aws:s3:::nothing/*\"]}]}"}`
	creds, err := sourcetest.Refresh(context.Background(), sts.New(), minioRequest(srv, cfg))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	_, err = s3Client(srv, creds).ListBuckets(context.Background(), &s3.ListBucketsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
		t.Fatalf("ListBuckets under a GetObject-only session policy: %v, want AccessDenied", err)
	}

	// MinIO refuses a policy without a Version: a permanent InvalidParameterValue.
	_, err = sourcetest.Refresh(context.Background(), sts.New(), minioRequest(srv,
		`{"role_arn": "arn:aws:iam::111122223333:role/brs-test", "policy": "{\"Statement\": []}"}`))
	e := permanentError(t, err, "InvalidParameterValue")
	if !strings.Contains(e.Message, "Version") {
		t.Errorf("message %q does not relay MinIO's reason", e.Message)
	}
}

// TestWrongSecretAtMinIO checks that a wrong base secret is a permanent error that does
// not repeat the secret. MinIO answers AccessDenied (AWS would say
// SignatureDoesNotMatch).
func TestWrongSecretAtMinIO(t *testing.T) {
	srv := startMinIO(t)
	const wrong = "not-the-root-secret-0123456789"
	req := minioRequest(srv, minimalConfig)
	req.Source.SecretAccessKey = wrong
	_, err := sourcetest.Refresh(context.Background(), sts.New(), req)
	e := permanentError(t, err, "AccessDenied")
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error %q contains the secret", err.Error())
	}
	if !strings.Contains(e.Message, "signature") {
		t.Errorf("message %q does not relay MinIO's reason", e.Message)
	}

	req = minioRequest(srv, minimalConfig)
	req.Source.AccessKeyID = "nosuchuser"
	_, err = sourcetest.Refresh(context.Background(), sts.New(), req)
	permanentError(t, err, "AccessDenied")
}

// TestChainingAtMinIO records a MinIO limit: it refuses AssumeRole signed with
// temporary credentials, so chaining itself cannot be shown working here; the request
// must still be signed with the source credentials, session token included, and the
// refusal be permanent.
func TestChainingAtMinIO(t *testing.T) {
	srv := startMinIO(t)
	r := sts.New()
	base, err := sourcetest.Refresh(context.Background(), r, minioRequest(srv, minimalConfig))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	req := minioRequest(srv, minimalConfig)
	req.Source = &base
	_, err = sourcetest.Refresh(context.Background(), r, req)
	permanentError(t, err, "AccessDenied")
	if strings.Contains(err.Error(), base.SecretAccessKey) || strings.Contains(err.Error(), base.SessionToken) {
		t.Errorf("error %q contains a source secret", err.Error())
	}
}

// TestMFAAtMinIO refreshes with mfa_serial and mfa_token_command. MinIO accepts
// SerialNumber and TokenCode and ignores them (it has no MFA); that they are sent is
// checked against the fake STS in TestAssumeRoleParameters.
func TestMFAAtMinIO(t *testing.T) {
	srv := startMinIO(t)
	const mfa = `"role_arn": "arn:aws:iam::111122223333:role/brs-test", "mfa_serial": "arn:aws:iam::111122223333:mfa/alice"`
	creds, err := sourcetest.Refresh(context.Background(), sts.New(), minioRequest(srv, `{`+mfa+`, "mfa_token_command": "echo 'your code: 123456'"}`))
	if err != nil {
		t.Fatalf("Refresh with MFA: %v", err)
	}
	listBuckets(t, srv, creds)

	for command, want := range map[string]string{
		"echo 'no code today'":   "mfa_token_command printed no 6-digit code",
		"echo 123456; exit 1":    "mfa_token_command failed: exited with status 1",
		"echo 1234567 12345 abc": "mfa_token_command printed no 6-digit code",
	} {
		_, err := sourcetest.Refresh(context.Background(), sts.New(), minioRequest(srv, `{`+mfa+`, "mfa_token_command": "`+command+`"}`))
		e := permanentError(t, err, "MFATokenCommandFailed")
		if !strings.Contains(e.Message, want) {
			t.Errorf("%s: message %q does not contain %q", command, e.Message, want)
		}
		if strings.Contains(e.Message, "123456") {
			t.Errorf("%s: message %q repeats the command's output", command, e.Message)
		}
	}
}
