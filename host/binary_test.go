//go:build !windows

package host_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
)

// TestPinnedBinaryIsTheOneThatRuns: the plugin's path is a symbolic link that is
// pointed at another program after brs has checked the pinned sha256 and before the
// plugin starts; the pinned binary runs, not the other program (which would leave a
// file behind and fail the handshake).
func TestPinnedBinaryIsTheOneThatRuns(t *testing.T) {
	t.Run("descriptor", testPinnedBinary)
	t.Run("copy", func(t *testing.T) {
		defer host.ForceCopyExec()()
		testPinnedBinary(t)
	})
}

func testPinnedBinary(t *testing.T) {
	dir := t.TempDir()
	good := installPlugin(t, dir, "good", 0o755)
	marker := filepath.Join(dir, "evil-ran")
	evil := filepath.Join(dir, "evil")
	if err := os.WriteFile(evil, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "plugin")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	swapped := 0
	defer host.SetBinaryOpened(func(path string) {
		if path != link {
			return
		}
		tmp := link + ".new"
		if err := os.Symlink(evil, tmp); err != nil {
			t.Error(err)
		}
		if err := os.Rename(tmp, link); err != nil {
			t.Error(err)
		}
		swapped++
	})()
	h, err := host.Load(context.Background(), writeHCL(t, `plugin "test" {
  command = "`+link+`"
  sha256  = "`+sha256File(t, good)+`"
}
role "a" {
  source = "test"
}`))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	defer h.Close()
	if _, err := h.Credentials(context.Background(), "a"); err != nil {
		t.Fatal(err)
	}
	if swapped != 1 {
		t.Fatalf("the link was swapped %d times, want once", swapped)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the program swapped in after the check ran")
	}
}

// TestWritableBinaryRefused: a plugin binary, or its directory (the one its path
// names, or the one a symbolic link leads to), that its group or everyone can write is
// refused before it runs, with an error that names it and the fix.
func TestWritableBinaryRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) (command, bad string)
	}{
		{"group-writable binary", func(t *testing.T, dir string) (string, string) {
			p := installPlugin(t, dir, "plugin", 0o775)
			return p, p
		}},
		{"world-writable binary", func(t *testing.T, dir string) (string, string) {
			p := installPlugin(t, dir, "plugin", 0o757)
			return p, p
		}},
		{"world-writable directory", func(t *testing.T, dir string) (string, string) {
			open := filepath.Join(dir, "open")
			mkdirMode(t, open, 0o777)
			return installPlugin(t, open, "plugin", 0o755), open
		}},
		{"link into a group-writable directory", func(t *testing.T, dir string) (string, string) {
			open := filepath.Join(dir, "open")
			mkdirMode(t, open, 0o775)
			p := installPlugin(t, open, "plugin", 0o755)
			link := filepath.Join(dir, "link")
			if err := os.Symlink(p, link); err != nil {
				t.Fatal(err)
			}
			return link, open
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			command, bad := tc.setup(t, t.TempDir())
			_, err := host.Load(context.Background(), writeHCL(t, `plugin "test" {
  command = "`+command+`"
}
role "a" {
  source = "test"
}`))
			if err == nil {
				t.Fatal("Load accepted it")
			}
			for _, want := range []string{`plugin "test"`, "refusing plugin binary " + command + ": ", "(owner ", ") is writable by other users", "chmod go-w " + bad} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}

func mkdirMode(t *testing.T, dir string, mode os.FileMode) {
	t.Helper()
	if err := os.Mkdir(dir, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode); err != nil {
		t.Fatal(err)
	}
}
