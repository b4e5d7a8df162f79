package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	flag.Parse()
	// Commands run in-process unless a test asks for the agent (agentEnv): no test
	// may start a detached agent on the user's socket, or leave one behind.
	os.Setenv("BRS_AGENT", "off")
	code := m.Run()
	plugintestbin.Cleanup()
	os.Exit(code)
}

const (
	brsPkg        = "github.com/brs-go/brs/cmd/brs"
	sdkChildPkg   = "github.com/brs-go/brs/internal/testutil/sdkchild"
	testPluginPkg = "github.com/brs-go/brs/internal/testutil/testplugin"
	filePluginPkg = "./examples/plugin" // a module of its own, as a third party's plugin is
)

// syncBuffer is a buffer that the host's logger may write to from other goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// result is what one run of brs did.
type result struct {
	code           int
	stdout, stderr string
}

// runBRS runs brs in-process with args.
func runBRS(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr syncBuffer
	code := run(context.Background(), args, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// writeHCL writes src to dir/name, with {{test}} replaced by the test plugin's path
// and {{file}} by the example file plugin's, and returns the file's path.
func writeHCL(t *testing.T, dir, name, src string) string {
	t.Helper()
	if strings.Contains(src, "{{test}}") {
		src = strings.ReplaceAll(src, "{{test}}", plugintestbin.Build(t, testPluginPkg))
	}
	if strings.Contains(src, "{{file}}") {
		src = strings.ReplaceAll(src, "{{file}}", plugintestbin.Build(t, filePluginPkg))
	}
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// testRoles is a config with two roles of the test plugin, named a and b.
const testRoles = `plugin "test" {
  command = "{{test}}"
}

role "a" {
  source = "test"
}

role "b" {
  source = "test"
  config {
    lifetime = "30m"
  }
}
`

// oneRole returns a config with one role of the test plugin, called name.
func oneRole(name string) string {
	return `plugin "test" {
  command = "{{test}}"
}

role "` + name + `" {
  source = "test"
}
`
}
