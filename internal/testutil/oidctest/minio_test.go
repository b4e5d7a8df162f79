package oidctest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/brs-go/brs/internal/testutil/oidctest"
)

// TestStartWithMinIO checks that right after StartWithMinIO, MinIO exchanges the
// provider's token for credentials that can write to its S3, and refuses a token
// signed with another key.
func TestStartWithMinIO(t *testing.T) {
	idp, srv := oidctest.StartWithMinIO(t)
	ctx := context.Background()
	client := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.Endpoint)})
	in := func(token string) *sts.AssumeRoleWithWebIdentityInput {
		return &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String("arn:aws:iam::111122223333:role/any"), RoleSessionName: aws.String("oidctest"),
			WebIdentityToken: aws.String(token), DurationSeconds: aws.Int32(900),
		}
	}
	out, err := client.AssumeRoleWithWebIdentity(ctx, in(idp.Token(t, time.Hour)))
	if err != nil {
		t.Fatalf("AssumeRoleWithWebIdentity: %v", err)
	}
	c := out.Credentials
	s3c := s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)),
	})
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("oidctest")}); err != nil {
		t.Fatalf("CreateBucket with the readwrite policy: %v", err)
	}
	foreign := oidctest.SignWith(t, oidctest.NewKey(t), oidctest.KeyID, idp.Claims(time.Hour))
	if _, err := client.AssumeRoleWithWebIdentity(ctx, in(foreign)); err == nil {
		t.Fatal("MinIO accepted a token signed with another key")
	}
}
