//go:build unix

package host_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

const envPluginPkg = "github.com/brs-go/brs/internal/testutil/envplugin"

// envPID returns the process ID in an envplugin access key id.
func envPID(t *testing.T, akid string) int {
	t.Helper()
	var pid, n int
	if _, err := fmt.Sscanf(akid, "ENVPID%dN%d", &pid, &n); err != nil {
		t.Fatalf("access key id %q is not the env plugin's: %v", akid, err)
	}
	return pid
}

// TestWithEnviron: a host loaded WithEnviron runs in that environment, not the
// process's: env() in the file reads it, the plugin is found on its PATH (the
// process's has no such plugin) and its process sees exactly its variables (not one
// only the process has, nor a go-plugin launch variable it holds); after the plugin is killed and the host starts another,
// that one sees them too, though the process's environment changed meanwhile. A
// second host of the same file in another environment sees its own, side by side.
func TestWithEnviron(t *testing.T) {
	bin := plugintestbin.Build(t, envPluginPkg)
	pathDir := t.TempDir()
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pathDir, "brs-plugin-envtest"), b, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", filepath.Join(t.TempDir(), "empty"))
	t.Setenv("BRS_PLUGIN_DIR", "")
	t.Setenv("BRS_T_FOO", "process")
	t.Setenv("BRS_T_ONLY_PROCESS", "process-secret")
	cfg := writeHCL(t, `role "a" {
  source = "envtest"
  region = env("BRS_T_FOO", "unset")
  config {
    names = ["BRS_T_FOO", "BRS_T_ONLY_PROCESS", "PLUGIN_UNIX_SOCKET_GROUP"]
  }
}`)
	loadIn := func(foo string) *host.Host {
		t.Helper()
		h, err := host.Load(context.Background(), cfg, host.WithEnviron([]string{"PATH=" + pathDir, "BRS_T_FOO=" + foo, "PLUGIN_UNIX_SOCKET_GROUP=nosuchgroup"}))
		if err != nil {
			t.Fatalf("Load with BRS_T_FOO=%s: %v", foo, err)
		}
		t.Cleanup(func() { h.Close() })
		return h
	}
	ctx := context.Background()
	want := func(foo string) string {
		return "BRS_T_FOO=" + foo + ";BRS_T_ONLY_PROCESS:unset;PLUGIN_UNIX_SOCKET_GROUP:unset"
	}

	ha := loadIn("a")
	ra, err := ha.Role("a")
	if err != nil {
		t.Fatal(err)
	}
	if ra.Region() != "a" {
		t.Errorf("env() read %q, want the host's a", ra.Region())
	}
	first, err := ra.Credentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.SessionToken != want("a") {
		t.Errorf("the plugin sees %q, want %q", first.SessionToken, want("a"))
	}

	hb := loadIn("b")
	if got, err := hb.Credentials(ctx, "a"); err != nil || got.SessionToken != want("b") {
		t.Errorf("the second host's plugin sees %q (%v), want %q", got.SessionToken, err, want("b"))
	}

	t.Setenv("BRS_T_FOO", "changed")
	t.Setenv("PATH", filepath.Join(t.TempDir(), "empty"))
	pid := envPID(t, first.AccessKeyID)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := ra.Refresh(ctx); err != nil {
		t.Fatalf("Refresh after the plugin was killed: %v", err)
	}
	again, err := ra.Credentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if envPID(t, again.AccessKeyID) == pid {
		t.Fatalf("the refresh after the kill was served by the killed process %d", pid)
	}
	if again.SessionToken != want("a") {
		t.Errorf("the restarted plugin sees %q, want %q", again.SessionToken, want("a"))
	}
	if strings.Contains(again.SessionToken, "changed") || strings.Contains(first.SessionToken, "process") {
		t.Errorf("a plugin saw the process's environment: %q, %q", first.SessionToken, again.SessionToken)
	}
}

// TestDefaultEnvironCapturedAtLoad: without WithEnviron a host runs in the process's
// environment as it was at Load: a plugin started after os.Setenv still sees the
// value of Load's time.
func TestDefaultEnvironCapturedAtLoad(t *testing.T) {
	t.Setenv("BRS_T_FOO", "at-load")
	h := load(t, `plugin "envtest" { command = "`+plugintestbin.Build(t, envPluginPkg)+`" }
role "a" {
  source = "envtest"
  config { names = ["BRS_T_FOO"] }
}`)
	ctx := context.Background()
	first, err := h.Credentials(ctx, "a")
	if err != nil || first.SessionToken != "BRS_T_FOO=at-load" {
		t.Fatalf("first: %q %v", first.SessionToken, err)
	}
	t.Setenv("BRS_T_FOO", "later")
	if err := syscall.Kill(envPID(t, first.AccessKeyID), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := h.Refresh(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	again, err := h.Credentials(ctx, "a")
	if err != nil || again.SessionToken != "BRS_T_FOO=at-load" || again.AccessKeyID == first.AccessKeyID {
		t.Errorf("after a restart: %s %q %v; want a new process that sees BRS_T_FOO=at-load", again.AccessKeyID, again.SessionToken, err)
	}
}

// TestWithEnvironInheritEnv: inherit_env passes a variable of the host's environment
// (WithEnviron), not of the process's, on to a source's command: the real process
// source runs a script that puts what it got in the session token.
func TestWithEnvironInheritEnv(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "creds.sh")
	if err := os.WriteFile(script, []byte(`#!/bin/sh
printf '{"Version":1,"AccessKeyId":"AKIAEXAMPLEINHERIT","SecretAccessKey":"inherit-secret","SessionToken":"token-%s"}' "${BRS_T_INHERIT:-unset}"
`), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BRS_T_INHERIT", "process")
	cfg := writeHCL(t, `plugin "process" { command = "`+plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-process")+`" }
role "a" {
  source = "process"
  config {
    command     = "`+script+`"
    inherit_env = ["BRS_T_INHERIT"]
  }
}`)
	h, err := host.Load(context.Background(), cfg, host.WithEnviron([]string{"PATH=/usr/bin:/bin", "BRS_T_INHERIT=given"}))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	creds, err := h.Credentials(context.Background(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if creds.SessionToken != "token-given" {
		t.Errorf("the command got %q, want token-given from the host's environment", creds.SessionToken)
	}
}
