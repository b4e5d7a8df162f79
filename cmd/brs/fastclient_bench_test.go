//go:build unix

package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// BenchmarkFastClient is a credential_process call through a warm agent as the AWS
// CLI makes it, side by side in one run: brs-credential-process (the small client),
// `brs credential-process`, and `brs --version` (brs starting and exiting, the floor
// of any brs command). Each op is a real process; the role is the test plugin's.
// Reported: the median wall time and the process's CPU time (user+system), which a
// busy machine inflates far less.
func BenchmarkFastClient(b *testing.B) {
	brs, env, cfg, stop := agentBenchSetup(b, 1)
	defer stop()
	bin := b.TempDir()
	client := filepath.Join(bin, "brs-credential-process")
	copyFile(b, plugintestbin.Build(b, fastClientPkg), client)
	copyFile(b, brs, filepath.Join(bin, "brs"))
	benchExec(b, brs, env, "-c", cfg, "credential-process", "r0") // warm the agent
	for _, mode := range []struct {
		name string
		exe  string
		args []string
	}{
		{"client", client, []string{"-c", cfg, "r0"}},
		{"brs", brs, []string{"-c", cfg, "credential-process", "r0"}},
		{"brs-version", brs, []string{"--version"}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			var ds []time.Duration
			var cpu time.Duration
			for b.Loop() {
				start := time.Now()
				cpu += benchExecCPU(b, mode.exe, env, mode.args...)
				ds = append(ds, time.Since(start))
			}
			reportP50(b, ds)
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(ds)), "cpu-ms/op")
		})
	}
}

// copyFile copies the executable src to dst.
func copyFile(b *testing.B, src, dst string) {
	b.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o700); err != nil {
		b.Fatal(err)
	}
}
