package awserr_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/brs-go/brs/plugin/awserr"
)

// assumeRole calls AssumeRole with a real SDK client at endpoint, once.
func assumeRole(t *testing.T, endpoint string) error {
	t.Helper()
	client := sts.New(sts.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		RetryMaxAttempts: 1,
	})
	_, err := client.AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::111122223333:role/r"), RoleSessionName: aws.String("s"),
	})
	if err == nil {
		t.Fatal("AssumeRole succeeded")
	}
	return err
}

var stsClassifier = awserr.Classifier{Service: "STS", NetworkCheck: " and the endpoint", FailedCode: "Failed"}

// TestClassifyHTTPEndpointUnreachable calls a closed loopback port over http:// with
// the real SDK: the message names the cause and the http URL, not the SDK's "https
// response error" wrapper nor its repetition of the operation.
func TestClassifyHTTPEndpointUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	e := stsClassifier.Classify(context.Background(), assumeRole(t, "http://"+addr), "AssumeRole r", "")
	want := fmt.Sprintf(`AssumeRole r: could not reach STS: request send failed, Post "http://%s/": dial tcp %s: connect: connection refused; check the network and the endpoint`, addr, addr)
	if e.Code != "NetworkError" || e.Message != want || !e.Retryable {
		t.Errorf("got %+v\nwant message %s", e, want)
	}
}

// TestClassifyKeyProblems checks that an AccessDenied whose message says the signature
// or the access key is wrong (MinIO's answers to a wrong secret key and to an unknown
// access key ID) gets the advice of SignatureDoesNotMatch and InvalidClientTokenId,
// not that of AccessDenied. TestWrongSecretAtMinIO of the sts package sees MinIO's
// real answers.
func TestClassifyKeyProblems(t *testing.T) {
	c := awserr.Classifier{Permanent: map[string]string{
		"AccessDenied": "check the trust policy", "SignatureDoesNotMatch": "check the secret key", "InvalidClientTokenId": "check the key ID",
	}}
	for msg, want := range map[string]string{
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.": "check the secret key",
		"The Access Key Id you provided does not exist in our records.":                                                     "check the key ID",
		"The security token included in the request is invalid.":                                                            "check the key ID",
		"User: arn:aws:iam::1:user/x is not authorized to perform: sts:AssumeRole":                                          "check the trust policy",
	} {
		e := c.Classify(context.Background(), &smithy.GenericAPIError{Code: "AccessDenied", Message: msg}, "AssumeRole r", "")
		if e.Code != "AccessDenied" || !strings.HasSuffix(e.Message, "; "+want) {
			t.Errorf("%q: got %+v, want advice %q", msg, e, want)
		}
	}
}
