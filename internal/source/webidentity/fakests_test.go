package webidentity_test

import (
	"testing"

	"github.com/brs-go/brs/internal/testutil/fakests"
)

// fakeSTS is a loopback stand-in for AWS STS, for what MinIO cannot show: MinIO
// reports every refused token as InvalidParameterValue, returns no AssumedRoleUser
// ARN and never answers with AWS's throttling or server errors. It records each
// request's form and Authorization header and answers with a canned AWS-shaped
// response. It checks no token: that is tested against MinIO.
type fakeSTS = fakests.STS

func startFakeSTS(t *testing.T) *fakeSTS {
	t.Helper()
	return fakests.Start(t, fakests.Options{
		Action:      "AssumeRoleWithWebIdentity",
		AccessKeyID: fakeAccessKeyID,
		RoleARN:     fakeRoleARN,
		ResultHead: `
    <SubjectFromWebIdentityToken>system:serviceaccount:default:app</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>`,
		AssumedRoleID: "AROAFAKE:brs-pods",
		ResultTail: `
    <Provider>oidc.eks.us-east-1.amazonaws.com/id/FAKE</Provider>`,
	})
}

const (
	fakeAccessKeyID = "ASIAFAKEWEBIDENTITY1"
	fakeSecret      = fakests.Secret
	fakeToken       = fakests.SessionToken
	fakeRoleARN     = "arn:aws:sts::123456789012:assumed-role/pods/brs-pods"
)
