//go:build unix

package host_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// BenchmarkPluginStartCPU is BenchmarkLoadStartPlugin with the CPU time each side
// spends per start: the host's (host-cpu-ms/op, this process) and the plugin's
// (plugin-cpu-ms/op, the reaped children). CPU time, unlike wall time, hardly moves
// when other processes share the cores, so two commits can be compared on a busy
// machine. With cputime_unix_test.go it can be copied into an older tree.
func BenchmarkPluginStartCPU(b *testing.B) {
	bin := plugintestbin.Build(b, "github.com/brs-go/brs/cmd/brs-plugin-sts")
	path := filepath.Join(b.TempDir(), "brs.hcl")
	src := "role \"r\" {\n  source = \"sts\"\n  config {\n    role_arn = \"arn:aws:iam::123456789012:role/bench\"\n  }\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	self0, kids0 := cpuTime(b, cpuSelf), cpuTime(b, cpuChildren)
	var ds []time.Duration
	for b.Loop() {
		start := time.Now()
		h, err := host.Load(ctx, path, host.WithPluginDir(filepath.Dir(bin)))
		if err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
		h.Close() // waits for the plugin to exit: its CPU time is counted
	}
	n := float64(len(ds))
	b.ReportMetric(float64((cpuTime(b, cpuSelf)-self0).Microseconds())/1000/n, "host-cpu-ms/op")
	b.ReportMetric(float64((cpuTime(b, cpuChildren)-kids0).Microseconds())/1000/n, "plugin-cpu-ms/op")
	reportMedian(b, ds)
}
