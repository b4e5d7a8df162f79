package webidentity_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/oidctest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

func TestMain(m *testing.M) {
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

// startIdPAndMinIO starts a loopback OpenID provider and then a MinIO that trusts it
// (MinIO reads the provider's discovery document when it starts).
func startIdPAndMinIO(t *testing.T) (*oidctest.Provider, *miniotest.Server) {
	t.Helper()
	return oidctest.StartWithMinIO(t)
}

// writeToken writes token to path, replacing the file whole, as the kubelet does.
func writeToken(t *testing.T, path, token string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// tokenPath is a token file path in a new temporary directory; the file does not exist.
func tokenPath(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "token")
}

// request is a refresh request for cfg at endpoint.
func request(endpoint, cfg string) shared.RefreshRequest {
	return shared.RefreshRequest{Role: "pods", Config: shared.Config(cfg), Region: "us-east-1", Endpoint: endpoint}
}

// fileConfig is a config that reads the token from path.
func fileConfig(path string) string {
	return `{"role_arn": "arn:aws:iam::111122223333:role/pods", "token_file": "` + path + `", "duration": "15m"}`
}

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

// sharedError fails the test unless err is a *shared.Error with code and retryable
// whose text holds none of secrets, and returns it.
func sharedError(t *testing.T, err error, code string, retryable bool, secrets ...string) *shared.Error {
	t.Helper()
	var e *shared.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %T %v, want a *shared.Error", err, err)
	}
	if e.Code != code || e.Retryable != retryable {
		t.Fatalf("got %+v, want code %q, retryable %v", e, code, retryable)
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains the secret %q", err, s)
		}
	}
	return e
}
