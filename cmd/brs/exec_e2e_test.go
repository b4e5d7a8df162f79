package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// botoChild is a Python program that knows nothing about brs: boto3's default
// credential chain, ListBuckets every 200ms, printing the access key id that signed
// each request, until the key changes and the new one has listed the buckets too.
const botoChild = `
import re, sys, time
import boto3, botocore.config

used = []
def record(request, **kwargs):
    auth = request.headers.get("Authorization", "")
    if isinstance(auth, bytes):
        auth = auth.decode()
    m = re.search(r"Credential=([^/]+)/", auth)
    if m:
        used.append(m.group(1))

s3 = boto3.client("s3", endpoint_url=sys.argv[1], config=botocore.config.Config(s3={"addressing_style": "path"}))
s3.meta.events.register("before-send.s3.ListBuckets", record)
deadline = time.time() + 45
first = None
while True:
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    print("key=%s buckets=%s" % (used[-1], ",".join(names)), flush=True)
    if first is None:
        first = used[-1]
    elif used[-1] != first:
        sys.exit(0)
    if time.time() > deadline:
        print("the key stayed %s until the deadline" % first, file=sys.stderr)
        sys.exit(3)
    time.sleep(0.2)
`

// pythonPath returns the real python3 executable (not a pyenv shim, which needs the
// user's HOME), checking that boto3 is importable.
func pythonPath(t *testing.T) string {
	t.Helper()
	var out []byte
	var err error
	// The machine image's python3 has boto3; .ci/run installs Debian's python3-boto3
	// for /usr/bin/python3 where it does not.
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		out, err = exec.Command(py, "-c", "import sys, boto3; print(sys.executable)").CombinedOutput()
		if err == nil {
			return strings.TrimSpace(string(out))
		}
	}
	needtool.Missing(t, fmt.Sprintf("python3 with boto3 not found (%v: %s)", err, bytes.TrimSpace(out)), needtool.Boto3)
	return ""
}

// TestExecRefreshMinIO runs programs that use the default credential chains of
// aws-sdk-go-v2 and of boto3 under the real brs exec, against MinIO's STS and S3. The
// role's credentials are refreshed in the background about 8 seconds in; each program
// keeps listing buckets and sees its access key change. The parent has other
// credentials everywhere the chains look first — the MinIO root user's keys in the
// environment (which the sts plugin needs, and which would work against MinIO's S3
// too), bogus keys in a [default] and an AWS_PROFILE profile, in ~/.boto and in
// AWS_CREDENTIAL_FILE — and neither program uses them.
func TestExecRefreshMinIO(t *testing.T) {
	dir := t.TempDir()
	brs := copyExecutable(t, plugintestbin.Build(t, brsPkg), dir, "brs")
	copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-sts"), dir, "brs-plugin-sts")
	goChild := plugintestbin.Build(t, sdkChildPkg)
	python := pythonPath(t)
	srv := miniotest.Start(t)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel) // after the parallel subtests
	root := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(miniotest.RootUser, miniotest.RootPassword, "")})
	if _, err := root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("brs-exec")}); err != nil {
		t.Fatal(err)
	}

	work := t.TempDir()
	cfg := writeHCL(t, work, "brs.hcl", `role "demo" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = "`+srv.Endpoint+`"
  refresh {
    advisory  = "14m52s"
    mandatory = "14m48s"
  }
  config {
    role_arn = "arn:aws:iam::123456789012:role/demo"
    duration = "15m"
  }
}
`)
	bogus := "aws_access_key_id = AKIABOGUS\naws_secret_access_key = bogus\n"
	awsConfig := writeHCL(t, work, "aws/config", "[default]\n"+bogus+"[profile bogus]\n"+bogus)
	awsCreds := writeHCL(t, work, "aws/credentials", "[default]\n"+bogus+"[bogus]\n"+bogus)
	writeHCL(t, work, ".boto", "[Credentials]\n"+bogus)
	env := []string{
		"AWS_ACCESS_KEY_ID=" + miniotest.RootUser,
		"AWS_SECRET_ACCESS_KEY=" + miniotest.RootPassword,
		"AWS_PROFILE=bogus",
		"AWS_CONFIG_FILE=" + awsConfig,
		"AWS_SHARED_CREDENTIALS_FILE=" + awsCreds,
		"AWS_CREDENTIAL_FILE=" + writeHCL(t, work, "ec2-creds", "AWSAccessKeyId=AKIABOGUSEC2\nAWSSecretKey=bogus\n"),
		"AWS_EC2_METADATA_DISABLED=true",
		"HOME=" + work,
		"PATH=" + os.Getenv("PATH"),
	}

	for _, tc := range []struct {
		name string
		argv []string
	}{
		{"aws-sdk-go-v2", []string{goChild, "s3", srv.Endpoint}},
		{"boto3", []string{python, "-c", botoChild, srv.Endpoint}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(ctx, brs, append([]string{"-c", cfg, "exec", "demo", "--"}, tc.argv...)...)
			cmd.Dir, cmd.Env = work, env
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("brs exec: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
			var keys []string
			for _, l := range lines {
				key, buckets, ok := strings.Cut(strings.TrimPrefix(l, "key="), " buckets=")
				if !ok || buckets != "brs-exec" {
					t.Fatalf("unexpected line %q in:\n%s", l, stdout.String())
				}
				if key == miniotest.RootUser || strings.HasPrefix(key, "AKIABOGUS") || key == "" {
					t.Fatalf("the program signed with %q, not with the role's credentials", key)
				}
				keys = append(keys, key)
			}
			if len(keys) < 2 || keys[0] == keys[len(keys)-1] {
				t.Fatalf("the key did not change: %q", keys)
			}
			if strings.Contains(stderr.String(), miniotest.RootPassword) {
				t.Errorf("stderr holds the root secret:\n%s", stderr.String())
			}
			t.Logf("%d calls; key %s… then %s…", len(keys), keys[0][:8], keys[len(keys)-1][:8])
		})
	}
}
