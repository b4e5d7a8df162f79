package sts_test

import (
	"context"
	"testing"

	"github.com/brs-go/brs/internal/source/sts"
	"github.com/brs-go/brs/internal/testutil/sourcetest"
)

// BenchmarkRefreshInProcess measures one AssumeRole at a loopback MinIO through the
// source called in-process: the floor that the plugin subprocess path (gRPC over a
// Unix socket with mTLS) adds to.
func BenchmarkRefreshInProcess(b *testing.B) {
	srv := startMinIO(b)
	r := sts.New()
	req := minioRequest(srv, minimalConfig)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sourcetest.Refresh(ctx, r, req); err != nil {
			b.Fatal(err)
		}
	}
}
