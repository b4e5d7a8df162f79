package sts_test

import (
	"testing"

	"github.com/brs-go/brs/internal/testutil/fakests"
)

// fakeSTS is a loopback stand-in for AWS STS, for what MinIO cannot show: MinIO
// ignores most AssumeRole parameters, returns no AssumedRoleUser ARN and never answers
// with AWS's throttling or server errors. It records each request's form and
// Authorization header and answers with a canned AWS-shaped response. It checks no
// signature: authentication is tested against MinIO.
type fakeSTS = fakests.STS

func startFakeSTS(t *testing.T) *fakeSTS {
	t.Helper()
	return fakests.Start(t, fakests.Options{
		Action:        "AssumeRole",
		AccessKeyID:   fakeAccessKeyID,
		RoleARN:       fakeRoleARN,
		AssumedRoleID: "AROAFAKE:brs-analytics",
	})
}

const (
	fakeAccessKeyID = "ASIAFAKEFAKEFAKE0001"
	fakeSecret      = fakests.Secret
	fakeToken       = fakests.SessionToken
	fakeRoleARN     = "arn:aws:sts::123456789012:assumed-role/analytics/brs-analytics"
)
