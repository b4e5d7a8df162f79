package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileRefusesKernelFileSystems: file() reads nothing from procfs or sysfs, whose
// files look regular: /proc/self/environ holds brs's environment, base credentials
// included. A symbolic link into /proc is refused too, since the check is made on the
// file opened, not on the path.
func TestFileRefusesKernelFileSystems(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "innocent.txt")
	if err := os.Symlink("/proc/self/environ", link); err != nil {
		t.Fatal(err)
	}
	linkDir := filepath.Join(dir, "sys")
	if err := os.Symlink("/sys/kernel", linkDir); err != nil {
		t.Fatal(err)
	}
	sysFile := firstRegular(t, "/sys/kernel")
	t.Setenv("BRS_TEST_ENVIRON_SECRET", "environ-secret-that-must-not-show")
	for path, fs := range map[string]string{
		"/proc/self/environ": "procfs",
		"/proc/self/cmdline": "procfs",
		link:                 "procfs",
		sysFile:              "sysfs",
		filepath.Join(linkDir, filepath.Base(sysFile)): "sysfs",
	} {
		for _, where := range []string{"role", "config"} {
			src := `role "a" {
  source   = "s"
  region   = file("` + path + `")
}`
			if where == "config" {
				src = `role "a" {
  source = "s"
  config {
    role_arn = file("` + path + `")
  }
}`
			}
			f, diags := ParseSource([]byte(src), filepath.Join(dir, "brs.hcl"))
			if where == "config" && !diags.HasErrors() {
				_, diags = DecodeConfig(f.Role("a"), testSchema)
			}
			d := firstError(diags)
			if d == nil {
				t.Fatalf("%s in %s: no error", path, where)
			}
			want := "Cannot read " + path + ": it is on " + fs + ", a kernel file system that brs does not read."
			if d.Summary != "Cannot read file" || d.Detail != want {
				t.Errorf("%s in %s: %q: %q, want %q", path, where, d.Summary, d.Detail, want)
			}
			if strings.Contains(d.Detail, "environ-secret") {
				t.Errorf("the diagnostic shows the environment: %s", d.Detail)
			}
		}
	}
}

// firstRegular returns a regular file directly in dir, failing the test if there is
// none.
func firstRegular(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			return filepath.Join(dir, e.Name())
		}
	}
	t.Fatalf("no regular file in %s", dir)
	return ""
}
