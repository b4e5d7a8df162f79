package sts_test

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
	"github.com/brs-go/brs/shared"
)

// fakeRequest is a chained refresh request at the fake STS.
func fakeRequest(f *fakeSTS, cfg string) shared.RefreshRequest {
	return shared.RefreshRequest{
		Role:     "analytics",
		Config:   shared.Config(cfg),
		Region:   "eu-west-1",
		Endpoint: f.URL,
		Source:   &shared.Credentials{AccessKeyID: "AKIASOURCESOURCE0001", SecretAccessKey: "source-secret-key-0123456789", SessionToken: "source-session-token"},
	}
}

// TestAssumeRoleParameters checks that every attribute reaches STS as its AssumeRole
// parameter, and that the response's ARN and account come back.
func TestAssumeRoleParameters(t *testing.T) {
	f := startFakeSTS(t)
	cfg := strings.Replace(fullConfig, `"echo 123456"`, `"echo 'your code:'; echo 864209"`, 1)
	start := time.Now()
	creds, err := sourcetest.Refresh(context.Background(), sts.New(), fakeRequest(f, cfg))
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	want := url.Values{
		"Action":                     {"AssumeRole"},
		"Version":                    {"2011-06-15"},
		"RoleArn":                    {"arn:aws:iam::111122223333:role/analytics"},
		"RoleSessionName":            {"nightly-etl"},
		"DurationSeconds":            {"2700"},
		"ExternalId":                 {"etl-external-id"},
		"Policy":                     {`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`},
		"PolicyArns.member.1.arn":    {"arn:aws:iam::aws:policy/ReadOnlyAccess"},
		"Tags.member.1.Key":          {"cost-center"}, // sorted by key
		"Tags.member.1.Value":        {"42"},
		"Tags.member.2.Key":          {"team"},
		"Tags.member.2.Value":        {"data"},
		"TransitiveTagKeys.member.1": {"team"},
		"SourceIdentity":             {"alice"},
		"SerialNumber":               {"arn:aws:iam::111122223333:mfa/alice"},
		"TokenCode":                  {"864209"},
	}
	reqs := f.Requests()
	if len(reqs) != 1 {
		t.Fatalf("the fake STS got %d requests, want 1", len(reqs))
	}
	if got := reqs[0]; !equalForms(got, want) {
		t.Errorf("AssumeRole form:\n got  %v\n want %v", got, want)
	}
	auth := f.Authorizations()[0]
	if !strings.Contains(auth, "Credential=AKIASOURCESOURCE0001/") || !strings.Contains(auth, "/eu-west-1/sts/") {
		t.Errorf("request not signed by the source credentials for eu-west-1: %q", auth)
	}

	if creds.AccessKeyID != fakeAccessKeyID || creds.SecretAccessKey != fakeSecret || creds.SessionToken != fakeToken {
		t.Errorf("credentials %v do not match the response", creds)
	}
	if creds.ARN != fakeRoleARN || creds.AccountID != "123456789012" {
		t.Errorf("ARN %q, account %q; want %q and 123456789012", creds.ARN, creds.AccountID, fakeRoleARN)
	}
	if creds.Expires.Location() != time.UTC || creds.Expires.Before(start.Add(59*time.Minute)) || creds.Expires.After(start.Add(61*time.Minute)) {
		t.Errorf("Expires = %v, want about an hour from %v, in UTC", creds.Expires, start)
	}
}

// TestAssumeRoleDefaults checks what a minimal config sends: the default session name
// and duration, and nothing optional.
func TestAssumeRoleDefaults(t *testing.T) {
	f := startFakeSTS(t)
	req := fakeRequest(f, `{"role_arn": "arn:aws:iam::111122223333:role/analytics"}`)
	req.Role = "prod admin"
	if _, err := sourcetest.Refresh(context.Background(), sts.New(), req); err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	want := url.Values{
		"Action":          {"AssumeRole"},
		"Version":         {"2011-06-15"},
		"RoleArn":         {"arn:aws:iam::111122223333:role/analytics"},
		"RoleSessionName": {"brs-prod-admin"},
		"DurationSeconds": {"3600"},
	}
	if got := f.Requests()[0]; !equalForms(got, want) {
		t.Errorf("AssumeRole form:\n got  %v\n want %v", got, want)
	}
}

func equalForms(a, b url.Values) bool {
	return maps.EqualFunc(a, b, slices.Equal)
}
