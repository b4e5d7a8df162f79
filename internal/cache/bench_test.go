package cache

import (
	"context"
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
// anchor, on valid credentials: the path every signed AWS request takes.
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
		b.Run(name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
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
