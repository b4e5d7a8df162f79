// Command demo shows brs at work against a local MinIO (a real STS-compatible server
// with S3): it loads examples/hcl/demo.hcl, lists buckets with the role's temporary
// credentials, watches the sts plugin refresh them in the background, and lists
// buckets again with the new ones, printing what happens as it happens.
//
// Run it with `make demo`, which builds the plugins and MinIO first.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/miniotest"
)

func main() {
	cfgPath := flag.String("c", "examples/hcl/demo.hcl", "the HCL file")
	pluginDir := flag.String("plugin-dir", "bin", "where brs-plugin-sts is")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *cfgPath, *pluginDir); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// printer prefixes each line with the seconds since the demo started.
type printer struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
}

func (p *printer) say(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "[%5.1fs] %s\n", time.Since(p.start).Seconds(), fmt.Sprintf(format, args...))
}

// signer is an HTTP client that notes which access key id signed each request.
type signer struct {
	mu  sync.Mutex
	key string
}

var scope = regexp.MustCompile(`Credential=([^/]+)/`)

func (s *signer) Do(req *http.Request) (*http.Response, error) {
	if m := scope.FindStringSubmatch(req.Header.Get("Authorization")); m != nil {
		s.mu.Lock()
		s.key = m[1]
		s.mu.Unlock()
	}
	return http.DefaultClient.Do(req)
}

func (s *signer) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.key
}

func run(ctx context.Context, w io.Writer, cfgPath, pluginDir string) error {
	p := &printer{w: w, start: time.Now()}

	dir, err := os.MkdirTemp("", "brs-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p.say("starting MinIO (STS + S3) on loopback, data in %s", dir)
	srv, err := miniotest.StartServer(dir)
	if err != nil {
		return err
	}
	defer srv.Stop()
	p.say("MinIO is up at %s (pid %d)", srv.Endpoint, srv.PID())

	// The sts plugin's default credential chain: MinIO's root user. brs never sees or
	// needs these; the plugin process inherits them.
	os.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	os.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.RootPassword)
	os.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-aws-config"))
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-aws-credentials"))
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	os.Setenv("BRS_DEMO_ENDPOINT", srv.Endpoint)
	root := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(miniotest.RootUser, miniotest.RootPassword, "")})
	if _, err := root.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("demo-bucket")}); err != nil {
		return fmt.Errorf("creating demo-bucket: %w", err)
	}
	p.say("created bucket demo-bucket with the root user")

	refreshed := make(chan host.RefreshEvent, 10)
	h, err := host.Load(ctx, cfgPath, host.WithPluginDir(pluginDir), host.WithOnRefresh(func(e host.RefreshEvent) {
		if e.Err != nil {
			p.say("refresh of %q FAILED: %v", e.Role, e.Err)
		} else {
			how := "a caller asked (first use)"
			if e.Background {
				how = "background, ahead of expiry; no caller waited"
			}
			p.say("refresh of %q: new key %s, expires %s, took %v — %s",
				e.Role, e.AccessKeyID, e.Expires.Local().Format("15:04:05"), e.Took.Round(time.Millisecond), how)
		}
		refreshed <- e
	}))
	if err != nil {
		var le *host.LoadError
		if errors.As(err, &le) {
			_ = le.WriteText(os.Stderr, false)
		}
		return err
	}
	defer func() {
		if err := h.Close(); err != nil {
			p.say("host closed, with trouble: %v", err)
			return
		}
		p.say("host closed: the plugin process has exited")
	}()
	for _, pl := range h.Plugins() {
		p.say("loaded %s: source %q runs as plugin %s (pid %d) for roles %v", cfgPath, pl.Name, pl.Path, pl.PID, pl.Roles)
	}

	cfg, err := h.AWSConfig(ctx, "demo")
	if err != nil {
		return err
	}
	sg := &signer{}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(srv.Endpoint)
		o.UsePathStyle = true
		o.HTTPClient = sg
	})
	list := func() error {
		out, err := s3c.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			return fmt.Errorf("ListBuckets: %w", err)
		}
		var names []string
		for _, b := range out.Buckets {
			names = append(names, aws.ToString(b.Name))
		}
		p.say("s3:ListBuckets signed with %s → %v", sg.last(), names)
		return nil
	}

	if err := list(); err != nil {
		return err
	}
	first := <-refreshed
	st := h.Status()[0]
	p.say("next background refresh due in %.1fs; calling S3 every second meanwhile", time.Until(st.NextRefresh).Seconds())

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	timeout := time.After(60 * time.Second)
	var after int
	for after < 2 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timeout:
			return fmt.Errorf("no background refresh within 60s")
		case e := <-refreshed:
			if e.Err != nil {
				return e.Err
			}
		case <-tick.C:
			if err := list(); err != nil {
				return err
			}
			if sg.last() != first.AccessKeyID {
				after++
			}
		}
	}
	st = h.Status()[0]
	p.say("done: %d refreshes, requests now signed with %s (was %s), 0 errors", st.Refreshes, sg.last(), first.AccessKeyID)
	return nil
}
