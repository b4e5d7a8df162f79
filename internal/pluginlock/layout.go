package pluginlock

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// Platform returns this machine's platform as releases name it: "linux_amd64".
func Platform() string { return runtime.GOOS + "_" + runtime.GOARCH }

// DefaultDir returns the user's plugin install directory: $XDG_DATA_HOME/brs/plugins,
// else ~/.local/share/brs/plugins on Linux and other Unix systems, and the user's
// configuration directory's brs/plugins on macOS and Windows.
func DefaultDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "brs", "plugins"), nil
	}
	// The user's configuration directory, as os.UserConfigDir finds it, but in the
	// environment getenv reads.
	switch runtime.GOOS {
	case "darwin":
		home := getenv("HOME")
		if home == "" {
			return "", fmt.Errorf("no directory for plugins: neither $XDG_DATA_HOME nor $HOME is set")
		}
		return filepath.Join(home, "Library", "Application Support", "brs", "plugins"), nil
	case "windows":
		d := getenv("AppData")
		if d == "" {
			return "", fmt.Errorf("no directory for plugins: neither %%XDG_DATA_HOME%% nor %%AppData%% is set")
		}
		return filepath.Join(d, "brs", "plugins"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", fmt.Errorf("no directory for plugins: neither $XDG_DATA_HOME nor $HOME is set")
	}
	return filepath.Join(home, ".local", "share", "brs", "plugins"), nil
}

// InstallPath returns where the binary of name at version for platform is installed
// under dir.
func InstallPath(dir, name, version, platform string) string {
	bin := "brs-plugin-" + name
	if strings.HasPrefix(platform, "windows_") {
		bin += ".exe"
	}
	return filepath.Join(dir, name, version, platform, bin)
}
