package process_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// TestChainIntoSTSAtMinIO chains a process role into an sts role: role "a" runs a
// command that prints MinIO's root credentials as credential_process JSON (long-term
// keys: no session token, no expiry), and role "b" assumes a role at MinIO signed with
// them. MinIO accepts AssumeRole signed with its root user's static keys (not with
// temporary ones), so this is the chain that a real server can show. The default
// credential chain holds wrong keys, so only source_role can make b work.
func TestChainIntoSTSAtMinIO(t *testing.T) {
	srv := miniotest.Start(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIANOTTHEROOTUSER00")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-root-secret-0123456789")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")

	processBin := plugintestbin.Build(t, pluginPkg)
	stsBin := plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts")
	helper := script(t, `printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}\n' "$ROOT_USER" "$ROOT_PASSWORD"`)
	h := loadHCL(t, fmt.Sprintf(`
role "a" {
  source = "process"
  config {
    command = %q
    env = {
      ROOT_USER     = %q
      ROOT_PASSWORD = %q
    }
  }
}

role "b" {
  source      = "sts"
  source_role = "a"
  region      = "us-east-1"
  endpoint    = %q
  config {
    role_arn = "arn:aws:iam::111122223333:role/chained"
    duration = "15m"
  }
}
`, helper, miniotest.RootUser, miniotest.RootPassword, srv.Endpoint), newLogBuffer(), filepath.Dir(processBin), filepath.Dir(stsBin))

	ctx := context.Background()
	a, err := h.Credentials(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if a.AccessKeyID != miniotest.RootUser || a.CanExpire() {
		t.Fatalf("role a: %v, want MinIO's root user, never expiring", a)
	}
	b, err := h.Credentials(ctx, "b")
	if err != nil {
		t.Fatalf("role b: %v", err)
	}
	if b.AccessKeyID == "" || b.AccessKeyID == miniotest.RootUser || b.SessionToken == "" || !b.CanExpire() {
		t.Fatalf("role b: %v, want temporary credentials", b)
	}
	client := s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(b.AccessKeyID, b.SecretAccessKey, b.SessionToken),
	})
	if _, err := client.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Fatalf("ListBuckets with role b's credentials: %v", err)
	}
	if err := h.Refresh(ctx, "b"); err != nil {
		t.Fatalf("refreshing b again: %v", err)
	}
	if again, _ := h.Credentials(ctx, "b"); again.AccessKeyID == b.AccessKeyID {
		t.Errorf("a second refresh of b returned the same key %q", b.AccessKeyID)
	}
}
