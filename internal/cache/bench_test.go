package cache

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/brs-go/brs/internal/clock"
	"github.com/brs-go/brs/shared"
)

// expiringProvider gives what STS gives: credentials that expire in an hour.
type expiringProvider struct{}

func (expiringProvider) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{
		AccessKeyID: "AKID", SecretAccessKey: "secret", SessionToken: "token",
		CanExpire: true, Expires: time.Now().Add(time.Hour),
	}, nil
}

// BenchmarkRetrieveCached compares brs's cached Retrieve with aws.CredentialsCache, the
// anchor, on valid credentials: the path every signed AWS request takes, from one
// goroutine and from 64 at once.
func BenchmarkRetrieveCached(b *testing.B) {
	ctx := context.Background()
	r := New(func(context.Context, *shared.Credentials) (shared.Credentials, error) {
		return shared.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret", SessionToken: "token", Expires: time.Now().Add(time.Hour)}, nil
	}, Options{Name: "bench", Source: "bench", Clock: clock.Real{}})
	defer r.Close()
	anchor := aws.NewCredentialsCache(expiringProvider{})
	for name, p := range map[string]aws.CredentialsProvider{"brs": r, "aws.CredentialsCache": anchor} {
		if _, err := p.Retrieve(ctx); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Retrieve(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/64-goroutines", func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(64 / runtime.GOMAXPROCS(0))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := p.Retrieve(ctx); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// countingProvider is an aws.CredentialsProvider that counts its calls.
type countingProvider struct{ calls atomic.Int64 }

func (p *countingProvider) Retrieve(context.Context) (aws.Credentials, error) {
	p.calls.Add(1)
	return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret", CanExpire: true, Expires: time.Now().Add(time.Hour)}, nil
}

// burst has n goroutines call p.Retrieve at once and waits for them all.
func burst(b *testing.B, p aws.CredentialsProvider, n int) {
	var start, done sync.WaitGroup
	start.Add(1)
	done.Add(n)
	for range n {
		go func() {
			defer done.Done()
			start.Wait()
			if _, err := p.Retrieve(context.Background()); err != nil {
				b.Error(err)
			}
		}()
	}
	start.Done()
	done.Wait()
}

// BenchmarkBurst10k: 10,000 goroutines call Retrieve on a role with nothing cached;
// one op is the whole burst. refreshes/op must be 1 for both.
func BenchmarkBurst10k(b *testing.B) {
	const n = 10000
	b.Run("brs", func(b *testing.B) {
		var calls atomic.Int64
		for b.Loop() {
			r := New(func(context.Context, *shared.Credentials) (shared.Credentials, error) {
				calls.Add(1)
				return shared.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret", Expires: time.Now().Add(time.Hour)}, nil
			}, Options{Name: "bench", Source: "bench"})
			burst(b, r, n)
			r.Close()
		}
		b.ReportMetric(float64(calls.Load())/float64(b.N), "refreshes/op")
	})
	b.Run("aws.CredentialsCache", func(b *testing.B) {
		p := &countingProvider{}
		for b.Loop() {
			burst(b, aws.NewCredentialsCache(p), n)
		}
		b.ReportMetric(float64(p.calls.Load())/float64(b.N), "refreshes/op")
	})
}
