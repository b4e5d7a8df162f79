package sts_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

// One MinIO serves every test in this package: it is started on first need (so the
// unit tests run without it) and stopped after the last test.
var (
	minioOnce sync.Once
	minioDir  string
	minioSrv  *miniotest.Server
	minioErr  error
)

func TestMain(m *testing.M) {
	if cfg := os.Getenv(envNoEndpointChild); cfg != "" {
		os.Exit(noEndpointChild(cfg))
	}
	code := m.Run()
	if minioSrv != nil {
		minioSrv.Stop()
	}
	if minioDir != "" {
		_ = os.RemoveAll(minioDir)
	}
	plugintestbin.Cleanup()
	os.Exit(code)
}

// startMinIO returns the package's MinIO, starting it on the first call. It fails the
// test, never skips it, when MinIO is not installed.
func startMinIO(t testing.TB) *miniotest.Server {
	t.Helper()
	minioOnce.Do(func() {
		minioDir, minioErr = os.MkdirTemp("", "brs-sts-minio-")
		if minioErr == nil {
			minioSrv, minioErr = miniotest.StartServer(minioDir)
		}
	})
	if minioErr != nil {
		t.Fatalf("miniotest: %v", minioErr)
	}
	return minioSrv
}

// rootCreds are MinIO's root credentials, used as the source credentials of a chained
// refresh.
func rootCreds() *shared.Credentials {
	return &shared.Credentials{AccessKeyID: miniotest.RootUser, SecretAccessKey: miniotest.RootPassword}
}

// minioRequest is a refresh request at srv signed with the root credentials.
func minioRequest(srv *miniotest.Server, cfg string) shared.RefreshRequest {
	return shared.RefreshRequest{
		Role:     "minio-test",
		Config:   shared.Config(cfg),
		Region:   "us-east-1",
		Endpoint: srv.Endpoint,
		Source:   rootCreds(),
	}
}

const minimalConfig = `{"role_arn": "arn:aws:iam::111122223333:role/brs-test", "duration": "15m"}`

// s3Client returns an S3 client for MinIO that signs with creds.
func s3Client(srv *miniotest.Server, creds shared.Credentials) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
	})
}

// listBuckets fails the test unless creds can list MinIO's buckets.
func listBuckets(t *testing.T, srv *miniotest.Server, creds shared.Credentials) {
	t.Helper()
	if _, err := s3Client(srv, creds).ListBuckets(context.Background(), &s3.ListBucketsInput{}); err != nil {
		t.Fatalf("ListBuckets with the temporary credentials: %v", err)
	}
}
