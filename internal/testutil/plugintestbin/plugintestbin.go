// Package plugintestbin builds plugin binaries for tests that need a real plugin
// subprocess. Each main package is built once per test binary run, into a directory of
// its own that no other run shares, so a test never launches a stale binary.
//
// Call Cleanup from TestMain after m.Run to remove the binaries:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		plugintestbin.Cleanup()
//		os.Exit(code)
//	}
package plugintestbin

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// build is one package's build, shared by every test that asks for it.
type build struct {
	once sync.Once
	bin  string
	err  error
}

var (
	mu     sync.Mutex
	dir    string                // created on first use, removed by Cleanup
	builds = map[string]*build{} // by package path
)

// Build returns the path of an executable built from the main package pkg (an import
// path such as "github.com/brs-go/brs/cmd/brs-plugin-sts"), building it on the first
// call for pkg in this process. A failed build fails t, and every later call for pkg.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	b, err := entry(pkg)
	if err != nil {
		t.Fatalf("plugintestbin: %v", err)
	}
	b.once.Do(func() { b.err = b.build(pkg) })
	if b.err != nil {
		t.Fatalf("plugintestbin: %v", b.err)
	}
	return b.bin
}

// entry returns pkg's build, creating the output directory and the entry as needed.
func entry(pkg string) (*build, error) {
	mu.Lock()
	defer mu.Unlock()
	if dir == "" {
		d, err := os.MkdirTemp("", "brs-plugintestbin-")
		if err != nil {
			return nil, fmt.Errorf("creating the build directory: %w", err)
		}
		dir = d
	}
	b, ok := builds[pkg]
	if !ok {
		// One subdirectory per package, so two packages with the same last element
		// cannot overwrite each other's binary.
		name := path.Base(pkg)
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		b = &build{bin: filepath.Join(dir, strconv.Itoa(len(builds)), name)}
		builds[pkg] = b
	}
	return b, nil
}

func (b *build) build(pkg string) error {
	cmd := exec.Command("go", "build", "-o", b.bin, pkg)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	// Whatever the umask: the host refuses a plugin that its group or others can
	// write, or that lies in a directory they can write.
	for _, p := range []string{b.bin, filepath.Dir(b.bin)} {
		if err := os.Chmod(p, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// Cleanup removes every binary built so far. Call it once, after the tests have run.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	if dir != "" {
		_ = os.RemoveAll(dir)
	}
	dir = ""
	builds = map[string]*build{}
}
