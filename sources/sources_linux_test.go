package sources_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/sources"
)

// children returns the process IDs whose parent is this process.
func children(t *testing.T) []int {
	t.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // exited meanwhile
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) < 2 {
			continue
		}
		if ppid, _ := strconv.Atoi(fields[1]); ppid == os.Getpid() {
			pid, _ := strconv.Atoi(strings.Fields(s)[0])
			out = append(out, pid)
		}
	}
	slices.Sort(out)
	return out
}

// TestSTSInProcessAtMinIO loads a configuration from memory whose role uses the sts
// source registered with sources.STS, gets temporary credentials from a real MinIO
// and lists its buckets with them: no plugin binary is anywhere brs looks (the
// plugin directory is empty and PATH is too), and no process is started.
func TestSTSInProcessAtMinIO(t *testing.T) {
	srv := miniotest.Start(t)
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	t.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.RootPassword)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("BRS_PLUGIN_DIR", t.TempDir())
	t.Setenv("PATH", t.TempDir())
	src := fmt.Sprintf(`role "app" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = %q
  config {
    role_arn = "arn:aws:iam::123456789012:role/app"
    duration = "15m"
  }
}
`, srv.Endpoint)

	before := children(t) // MinIO
	ctx := context.Background()
	h, err := host.LoadSource(ctx, "embedded.hcl", []byte(src),
		host.WithPluginDir(t.TempDir()), host.WithRefresher(sources.NameSTS, sources.STS()))
	if err != nil {
		t.Fatalf("LoadSource: %v", err)
	}
	defer func() {
		if err := h.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	r, err := h.Role("app")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := r.Credentials(ctx)
	if err != nil {
		t.Fatalf("Credentials: %v", err)
	}
	if creds.AccessKeyID == "" || creds.AccessKeyID == miniotest.RootUser || creds.SessionToken == "" {
		t.Fatalf("want temporary credentials, got key %q", creds.AccessKeyID)
	}
	if d := time.Until(creds.Expires); d < 14*time.Minute || d > 15*time.Minute {
		t.Errorf("credentials expire in %v, want about 15m", d)
	}
	cfg, err := r.AWSConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint, o.UsePathStyle = aws.String(srv.Endpoint), true })
	if _, err := c.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Fatalf("ListBuckets with the role's provider: %v", err)
	}
	if after := children(t); !slices.Equal(before, after) {
		t.Errorf("child processes %v before, %v after: the source ran as a subprocess", before, after)
	}
	if st := r.Status(); st.Plugin != "in-process" || st.Refreshes != 1 {
		t.Errorf("status: plugin %q, %d refreshes; want in-process, 1", st.Plugin, st.Refreshes)
	}
}

// TestAll checks that All names every built-in source as its plugin binary does.
func TestAll(t *testing.T) {
	var names []string
	for name, r := range sources.All() {
		if r == nil {
			t.Errorf("source %q: nil refresher", name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	cmds, err := filepath.Glob("../cmd/brs-plugin-*")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range cmds {
		want = append(want, strings.TrimPrefix(filepath.Base(c), "brs-plugin-"))
	}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("All() has %v; the plugin binaries are %v", names, want)
	}
}
