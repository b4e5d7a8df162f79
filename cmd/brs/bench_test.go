package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/endpoint"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

// benchHCL writes a one-role file of the test plugin (a fake source that answers at
// once, so what is measured is brs itself).
func benchHCL(b *testing.B) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "brs.hcl")
	src := "plugin \"test\" {\n  command = \"" + plugintestbin.Build(b, testPluginPkg) + "\"\n}\nrole \"r\" {\n  source = \"test\"\n}\n"
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	return p
}

func reportP50(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds) > 0 {
		b.ReportMetric(float64(ds[len(ds)/2].Nanoseconds()), "p50-ns/op")
	}
}

// BenchmarkCredentialProcess is `brs credential-process ROLE` end to end, as the AWS
// CLI or an SDK runs it: process start, Load (plugin start, handshake, schema,
// validation), one refresh, the JSON on stdout, Close and exit.
func BenchmarkCredentialProcess(b *testing.B) {
	brs := plugintestbin.Build(b, "github.com/brs-go/brs/cmd/brs")
	cfg := benchHCL(b)
	var ds []time.Duration
	for b.Loop() {
		start := time.Now()
		out, err := exec.Command(brs, "-c", cfg, "credential-process", "r").Output()
		if err != nil || len(out) == 0 {
			b.Fatalf("%v: %s", err, out)
		}
		ds = append(ds, time.Since(start))
	}
	reportP50(b, ds)
}

// BenchmarkServeRequest is one GET of a role's credentials from the endpoint of `brs
// serve` / `brs exec`, over loopback HTTP with keep-alive, as an SDK makes it when its
// cached credentials near expiry.
func BenchmarkServeRequest(b *testing.B) {
	h, err := host.Load(context.Background(), benchHCL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	token, err := endpoint.NewToken()
	if err != nil {
		b.Fatal(err)
	}
	handler, err := endpoint.NewHandler(h, token, []string{"r"})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := endpoint.Start("127.0.0.1:0", handler)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	req, _ := http.NewRequest(http.MethodGet, srv.RoleURL("r"), nil)
	req.Header.Set("Authorization", token)
	var ds []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		ds = append(ds, time.Since(start))
	}
	reportP50(b, ds)
}
