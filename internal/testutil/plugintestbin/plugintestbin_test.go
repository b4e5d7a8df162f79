package plugintestbin

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

const stsPlugin = "github.com/brs-go/brs/cmd/brs-plugin-sts"

func TestBuild(t *testing.T) {
	defer Cleanup()
	bin := Build(t, stsPlugin)
	info, err := os.Stat(bin)
	if err != nil {
		t.Fatalf("the binary is not there: %v", err)
	}
	if info.Mode()&0o111 == 0 {
		t.Errorf("%s is not executable (%v)", bin, info.Mode())
	}
	if filepath.Base(bin) != "brs-plugin-sts" {
		t.Errorf("binary %s is not named after its package", bin)
	}
	mtime := info.ModTime()

	// A second call for the same package reuses the build.
	if again := Build(t, stsPlugin); again != bin {
		t.Errorf("second Build = %s, want the first binary %s", again, bin)
	}
	if info, err := os.Stat(bin); err != nil || !info.ModTime().Equal(mtime) {
		t.Errorf("the binary was rebuilt or removed: %v", err)
	}

	// Cleanup removes it; the next Build starts a new directory.
	Cleanup()
	if _, err := os.Stat(bin); !os.IsNotExist(err) {
		t.Errorf("Cleanup left %s behind (%v)", bin, err)
	}
	fresh := Build(t, stsPlugin)
	if filepath.Dir(filepath.Dir(fresh)) == filepath.Dir(filepath.Dir(bin)) {
		t.Errorf("the build after Cleanup reused the directory of %s", bin)
	}
}

// TestBuildFailure checks that a package that does not build fails the test with go
// build's output, through a testing.TB that records instead of stopping.
func TestBuildFailure(t *testing.T) {
	defer Cleanup()
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Build(rec, "github.com/brs-go/brs/no/such/package")
	}()
	<-done
	if !rec.failed {
		t.Fatalf("Build of a missing package did not fail the test")
	}
}

// recorder is a testing.TB whose Fatalf records the failure and ends the goroutine.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = true
	r.Logf("recorded: "+format, args...)
	runtime.Goexit()
}
