// Command sdkchild is a test helper for `brs exec`: a program that knows nothing about
// brs and gets its credentials from aws-sdk-go-v2's default configuration chain, as
// any Go program would. brs's tests run it under the real brs binary.
//
//	sdkchild key        print the access key id the default chain resolves, and exit
//	sdkchild s3 URL     list the buckets at the S3 endpoint URL every 200ms, printing the
//	                    access key id that signed each request, until the key changes
//	                    and the new one has listed the buckets too (exit 0), or until
//	                    -deadline passes (exit 3)
//
// It prints one line per step on stdout: "key=ID source=SOURCE" or
// "key=ID buckets=a,b". Errors go to stderr with exit status 1.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	deadline := flag.Duration("deadline", time.Minute, "give up after this long")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), *deadline)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fail("loading the default configuration: %v", err)
	}
	switch flag.Arg(0) {
	case "key":
		c, err := cfg.Credentials.Retrieve(ctx)
		if err != nil {
			fail("retrieving credentials: %v", err)
		}
		fmt.Printf("key=%s source=%s region=%s\n", c.AccessKeyID, c.Source, cfg.Region)
	case "s3":
		os.Exit(listUntilKeyChanges(ctx, cfg, flag.Arg(1)))
	default:
		fail("usage: sdkchild [-deadline D] key | s3 URL")
	}
}

func listUntilKeyChanges(ctx context.Context, cfg aws.Config, endpoint string) int {
	rec := &recorder{}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
		o.HTTPClient = rec
	})
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	first := ""
	for {
		out, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			fail("ListBuckets: %v", err)
		}
		var names []string
		for _, b := range out.Buckets {
			names = append(names, aws.ToString(b.Name))
		}
		key := rec.last()
		fmt.Printf("key=%s buckets=%s\n", key, strings.Join(names, ","))
		if first == "" {
			first = key
		} else if key != first {
			return 0 // the new key has listed the buckets
		}
		select {
		case <-ctx.Done():
			fmt.Fprintf(os.Stderr, "sdkchild: the key stayed %s until the deadline\n", first)
			return 3
		case <-tick.C:
		}
	}
}

// recorder is an HTTP client that remembers the access key id that signed the last
// request.
type recorder struct {
	mu  sync.Mutex
	key string
}

var credentialScope = regexp.MustCompile(`Credential=([^/]+)/`)

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	if m := credentialScope.FindStringSubmatch(req.Header.Get("Authorization")); m != nil {
		r.mu.Lock()
		r.key = m[1]
		r.mu.Unlock()
	}
	return http.DefaultClient.Do(req)
}

func (r *recorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.key
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "sdkchild: "+format+"\n", args...)
	os.Exit(1)
}
