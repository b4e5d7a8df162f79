package hcl_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/internal/testutil/oidctest"
)

// TestWebIdentityExample loads web_identity.hcl and refreshes its "pods" role at a
// MinIO that trusts a loopback OpenID provider, with the token where EKS would put
// it: a file named by AWS_WEB_IDENTITY_TOKEN_FILE. The example's session policy
// allows listing buckets.
func TestWebIdentityExample(t *testing.T) {
	idp, srv := oidctest.StartWithMinIO(t)
	_, opts := setup(t, srv.Endpoint)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(idp.Token(t, time.Hour)), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile)
	t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::111122223333:role/from-env")

	h := load(t, "web_identity.hcl", opts)
	if want := []string{"pods", "ci"}; !slices.Equal(h.Roles(), want) {
		t.Errorf("roles %q, want %q", h.Roles(), want)
	}
	ctx := context.Background()
	creds, err := h.Credentials(ctx, "pods")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(creds.Expires); d < 59*time.Minute || d > time.Hour {
		t.Errorf("credentials expire in %v, want the example's 1h", d)
	}
	client := s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
	})
	if _, err := client.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Fatalf("ListBuckets with the example's credentials: %v", err)
	}
}
