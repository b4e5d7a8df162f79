package host_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

// recorder is an HTTP client that remembers the access key id that signed each request.
type recorder struct {
	mu   sync.Mutex
	keys []string
}

var credentialScope = regexp.MustCompile(`Credential=([^/]+)/`)

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	if m := credentialScope.FindStringSubmatch(req.Header.Get("Authorization")); m != nil {
		r.mu.Lock()
		r.keys = append(r.keys, m[1])
		r.mu.Unlock()
	}
	return http.DefaultClient.Do(req)
}

func (r *recorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.keys) == 0 {
		return ""
	}
	return r.keys[len(r.keys)-1]
}

// minioEnv starts MinIO, creates a bucket with the root user, and gives the plugins'
// default credential chain the root user through the environment.
func minioEnv(t *testing.T) *miniotest.Server {
	t.Helper()
	srv := miniotest.Start(t)
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	t.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.RootPassword)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	root := s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(miniotest.RootUser, miniotest.RootPassword, ""),
	})
	if _, err := root.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("brs-e2e")}); err != nil {
		t.Fatalf("creating the test bucket: %v", err)
	}
	return srv
}

func s3Client(cfg aws.Config, endpoint string, rec *recorder) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
		o.HTTPClient = rec
	})
}

func listBuckets(t *testing.T, c *s3.Client) []string {
	t.Helper()
	out, err := c.ListBuckets(context.Background(), &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets: %v", err)
	}
	var names []string
	for _, b := range out.Buckets {
		names = append(names, aws.ToString(b.Name))
	}
	return names
}

// TestEndToEndMinIO: HCL → host → sts plugin subprocess → AssumeRole at a real MinIO;
// the temporary credentials list buckets; a forced refresh gives a new access key id
// that lists buckets too.
func TestEndToEndMinIO(t *testing.T) {
	srv := minioEnv(t)
	bin := plugintestbin.Build(t, stsPluginPkg)
	h := load(t, fmt.Sprintf(`
role "analytics" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = %q
  config {
    role_arn     = "arn:aws:iam::123456789012:role/analytics"
    session_name = "brs-e2e"
    duration     = "15m"
  }
}
`, srv.Endpoint), host.WithPluginDir(filepath.Dir(bin)))
	ctx := context.Background()
	cfg, err := h.AWSConfig(ctx, "analytics")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "us-east-1" {
		t.Fatalf("region %q", cfg.Region)
	}
	rec := &recorder{}
	c := s3Client(cfg, srv.Endpoint, rec)
	if got := listBuckets(t, c); len(got) != 1 || got[0] != "brs-e2e" {
		t.Fatalf("buckets %v", got)
	}
	first := rec.last()
	if first == "" || first == miniotest.RootUser {
		t.Fatalf("request signed by %q, want temporary credentials", first)
	}
	full, err := h.Credentials(ctx, "analytics")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(full.Expires); d < 14*time.Minute || d > 15*time.Minute {
		t.Fatalf("credentials expire in %v, want ~15m", d)
	}

	if err := h.Refresh(ctx, "analytics"); err != nil {
		t.Fatal(err)
	}
	listBuckets(t, c)
	if second := rec.last(); second == first || second == "" {
		t.Fatalf("after Refresh the request was signed by %q, first by %q: want a new key", second, first)
	}
	st := h.Status()[0]
	if st.Source != "sts" || st.Plugin != bin || st.Refreshes != 2 || st.LastError != nil || st.AccessKeyID != rec.last() {
		t.Fatalf("status %+v", st)
	}
}

// shortLived reports the expiry of real STS credentials as a few seconds away, so that
// the host's and the SDK's refresh timing can be seen without waiting 15 minutes (the
// shortest lifetime MinIO issues).
type shortLived struct {
	shared.Refresher
	life time.Duration
}

func (s shortLived) Refresh(ctx context.Context, req *shared.RefreshRequest) (*shared.RefreshResponse, error) {
	resp, err := s.Refresher.Refresh(ctx, req)
	if err == nil {
		resp.Credentials.Expires = time.Now().Add(s.life)
	}
	return resp, err
}

// TestSDKCacheSeesRefreshedCredentials: an SDK client built with
// config.WithCredentialsProvider (which wraps the provider in aws.CredentialsCache)
// switches to the refreshed credentials before the old ones expire. The clock is real
// here, because the SDK's cache reads the real clock; credentials live 3 seconds.
func TestSDKCacheSeesRefreshedCredentials(t *testing.T) {
	srv := minioEnv(t)
	events := make(chan host.RefreshEvent, 10)
	h := load(t, fmt.Sprintf(`
role "short" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = %q
  config {
    role_arn = "arn:aws:iam::123456789012:role/short"
  }
}
`, srv.Endpoint), host.WithRefresher("sts", shortLived{sts.New(), 3 * time.Second}),
		host.WithOnRefresh(func(e host.RefreshEvent) { events <- e }))
	p, err := h.Provider("short")
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithRegion("us-east-1"), awsconfig.WithCredentialsProvider(p))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Credentials.(*aws.CredentialsCache); !ok {
		t.Fatalf("the SDK did not wrap the provider in aws.CredentialsCache: %T", cfg.Credentials)
	}
	c := s3Client(cfg, srv.Endpoint, rec)
	listBuckets(t, c)
	first := rec.last()
	old := <-events
	if old.AccessKeyID != first {
		t.Fatalf("first request signed by %s, host fetched %s", first, old.AccessKeyID)
	}
	// Wait for the host's background refresh, then for the SDK to pick it up.
	select {
	case e := <-events:
		if !e.Background || e.Err != nil {
			t.Fatalf("second refresh %+v, want a successful background one", e)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no background refresh within 10s of 3s credentials")
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for rec.last() == first {
		if !time.Now().Before(old.Expires) {
			t.Fatalf("the SDK still signed with %s when they expired", first)
		}
		<-tick.C
		listBuckets(t, c)
	}
	if !time.Now().Before(old.Expires) {
		t.Fatalf("the SDK switched to new credentials only after the old ones expired")
	}
}
