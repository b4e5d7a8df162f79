package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// copyExecutable copies the executable src to dir/name and returns its path.
func copyExecutable(t *testing.T, src, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, name)
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestEndToEndMinIO runs the real brs binary as the AWS CLI would: credential-process
// for a role that assumes a role at MinIO's STS, with the sts plugin found beside the
// brs executable and signing with the default credential chain (the environment,
// inherited through brs). The printed credentials then create and list buckets.
func TestEndToEndMinIO(t *testing.T) {
	dir := t.TempDir()
	brs := copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs"), dir, "brs")
	copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts"), dir, "brs-plugin-sts")
	srv := miniotest.Start(t)

	work := t.TempDir()
	cfg := writeHCL(t, work, "brs.hcl", `role "analytics" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = "`+srv.Endpoint+`"
  config {
    role_arn = "arn:aws:iam::123456789012:role/analytics"
    duration = "15m"
  }
}
`)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, brs, "-c", cfg, "credential-process", "analytics")
	cmd.Dir = work
	cmd.Env = []string{
		"AWS_ACCESS_KEY_ID=" + miniotest.RootUser,
		"AWS_SECRET_ACCESS_KEY=" + miniotest.RootPassword,
		"AWS_CONFIG_FILE=" + filepath.Join(work, "no-such-config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(work, "no-such-credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"HOME=" + work,
		"BRS_AGENT=off",
		// Nothing on $PATH: the plugin must be found beside the brs executable.
		"PATH=" + filepath.Join(work, "empty"),
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("brs credential-process: %v\nstderr:\n%s", err, stderr.String())
	}

	var keys map[string]json.RawMessage
	if err := json.Unmarshal(stdout.Bytes(), &keys); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%s", err, stdout.String())
	}
	got := slices.Sorted(maps.Keys(keys))
	if want := []string{"AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken", "Version"}; !slices.Equal(got, want) {
		t.Errorf("keys %q, want %q", got, want)
	}
	var doc struct {
		Version                       int
		AccessKeyID                   string `json:"AccessKeyId"`
		SecretAccessKey, SessionToken string
		Expiration                    time.Time
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("decoding %s: %v", stdout.String(), err)
	}
	if doc.Version != 1 || doc.AccessKeyID == "" || doc.AccessKeyID == miniotest.RootUser || doc.SecretAccessKey == "" || doc.SessionToken == "" {
		t.Fatalf("not temporary credentials: Version %d, AccessKeyId %q", doc.Version, doc.AccessKeyID)
	}
	if want := start.Add(15 * time.Minute); doc.Expiration.Before(want.Add(-time.Minute)) || doc.Expiration.After(want.Add(time.Minute)) {
		t.Errorf("Expiration %v, want about %v", doc.Expiration, want.UTC())
	}
	for _, s := range []string{doc.SecretAccessKey, doc.SessionToken, miniotest.RootPassword} {
		if strings.Contains(stderr.String(), s) {
			t.Errorf("stderr holds a secret:\n%s", stderr.String())
		}
	}

	s3c := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(doc.AccessKeyID, doc.SecretAccessKey, doc.SessionToken),
	})
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("brs-e2e")}); err != nil {
		t.Fatalf("CreateBucket with the credentials brs printed: %v", err)
	}
	out, err := s3c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets with the credentials brs printed: %v", err)
	}
	if len(out.Buckets) != 1 || aws.ToString(out.Buckets[0].Name) != "brs-e2e" {
		t.Errorf("ListBuckets = %d buckets, want brs-e2e", len(out.Buckets))
	}
}
