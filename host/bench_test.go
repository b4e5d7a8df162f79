package host_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/miniotest"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// reportMedian adds the median of ds to the benchmark's output as p50-ns/op.
func reportMedian(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)/2].Nanoseconds()), "p50-ns/op")
}

// BenchmarkRefresh is one forced Refresh of an sts role at a real MinIO, through the
// plugin subprocess and with the same source in-process: the difference is what the
// process boundary (gRPC over a Unix socket with mTLS) costs.
func BenchmarkRefresh(b *testing.B) {
	srv := miniotest.Start(b)
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": miniotest.RootUser, "AWS_SECRET_ACCESS_KEY": miniotest.RootPassword,
		"AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true",
	} {
		b.Setenv(k, v)
	}
	bin := plugintestbin.Build(b, stsPluginPkg)
	path := filepath.Join(b.TempDir(), "brs.hcl")
	src := fmt.Sprintf(`role "r" {
  source   = "sts"
  region   = "us-east-1"
  endpoint = %q
  config {
    role_arn = "arn:aws:iam::123456789012:role/bench"
    duration = "15m"
  }
}
`, srv.Endpoint)
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		opt  host.Option
	}{
		{"subprocess", host.WithPluginDir(filepath.Dir(bin))},
		{"in-process", host.WithRefresher("sts", sts.New())},
	} {
		b.Run(mode.name, func(b *testing.B) {
			ctx := context.Background()
			h, err := host.Load(ctx, path, mode.opt)
			if err != nil {
				b.Fatal(err)
			}
			defer h.Close()
			if err := h.Refresh(ctx, "r"); err != nil { // warm up: process, connections
				b.Fatal(err)
			}
			var ds []time.Duration
			b.ReportAllocs()
			for b.Loop() {
				start := time.Now()
				if err := h.Refresh(ctx, "r"); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(start))
			}
			reportMedian(b, ds)
		})
	}
}

// BenchmarkLoadStartPlugin is host.Load of a one-role file: start the plugin process,
// go-plugin handshake with AutoMTLS, GetSchema, ValidateConfig; then Close, which waits
// for the process to exit.
func BenchmarkLoadStartPlugin(b *testing.B) {
	bin := plugintestbin.Build(b, stsPluginPkg)
	path := filepath.Join(b.TempDir(), "brs.hcl")
	src := `role "r" {
  source = "sts"
  config {
    role_arn = "arn:aws:iam::123456789012:role/bench"
  }
}
`
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var ds []time.Duration
	for b.Loop() {
		start := time.Now()
		h, err := host.Load(ctx, path, host.WithPluginDir(filepath.Dir(bin)))
		if err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
		h.Close()
	}
	reportMedian(b, ds)
}

// stsRoles is an HCL file with n sts roles, r0000 to r(n-1), as `brs import` writes
// them from an AWS config file.
func stsRoles(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "role \"r%04d\" {\n  source = \"sts\"\n  region = \"us-east-1\"\n  config {\n    role_arn = \"arn:aws:iam::123456789012:role/r%04d\"\n    duration = \"1h\"\n  }\n}\n", i, i)
	}
	return b.String()
}

// BenchmarkLoadOneRole is what a command that needs one role pays at start: host.Load
// of a file of n sts roles with WithOnly of one of them ("only": parse the file, start
// the sts plugin, validate that role), against host.Load of every role ("all": what
// `brs validate` does). Close, which waits for the plugin to exit, is not timed.
func BenchmarkLoadOneRole(b *testing.B) {
	bin := plugintestbin.Build(b, stsPluginPkg)
	for _, n := range []int{1, 1000, 10000} {
		path := filepath.Join(b.TempDir(), "brs.hcl")
		if err := os.WriteFile(path, []byte(stsRoles(n)), 0o600); err != nil {
			b.Fatal(err)
		}
		for _, mode := range []struct {
			name string
			opts []host.Option
		}{
			{"only", []host.Option{host.WithOnly("r0000")}},
			{"all", nil},
		} {
			b.Run(fmt.Sprintf("roles=%d/%s", n, mode.name), func(b *testing.B) {
				ctx := context.Background()
				var ds []time.Duration
				b.ReportAllocs()
				for b.Loop() {
					start := time.Now()
					h, err := host.Load(ctx, path, append(mode.opts, host.WithPluginDir(filepath.Dir(bin)))...)
					if err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(start))
					b.StopTimer()
					h.Close()
					b.StartTimer()
				}
				reportMedian(b, ds)
			})
		}
	}
}

// expiringProvider gives what STS gives: credentials that expire in an hour.
type expiringProvider struct{}

func (expiringProvider) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{
		AccessKeyID: "AKID", SecretAccessKey: "secret", SessionToken: "token",
		CanExpire: true, Expires: time.Now().Add(time.Hour),
	}, nil
}

// BenchmarkRetrieveCached is the path every signed AWS request takes once credentials
// are cached, through the public API (Host.Provider, as Role.Provider and
// Role.AWSConfig hand it out), against aws.CredentialsCache, the anchor: from one
// goroutine and from 64 at once.
func BenchmarkRetrieveCached(b *testing.B) {
	ctx := context.Background()
	src := &counting{release: make(chan struct{})}
	close(src.release)
	h, err := host.LoadSource(ctx, "brs.hcl", []byte(`role "a" {
  source = "count"
}`), host.WithRefresher("count", src))
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	p, err := h.Provider("a")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		p    aws.CredentialsProvider
	}{{"brs", p}, {"aws.CredentialsCache", aws.NewCredentialsCache(expiringProvider{})}} {
		if _, err := c.p.Retrieve(ctx); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.p.Retrieve(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/64-goroutines", func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(64 / runtime.GOMAXPROCS(0))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.p.Retrieve(ctx); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
