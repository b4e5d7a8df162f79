package host

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/brs-go/brs/internal/config"
)

// WithEnviron sets the environment the host runs in: a list of "NAME=value" entries,
// as os.Environ returns (the last entry of a name wins). The config file's env() and
// inherit_env, the plugin search ($BRS_PLUGIN_DIR, $PATH, $GOBIN, $GOPATH, $HOME,
// $XDG_DATA_HOME), $BRS_REATTACH_PLUGINS and the environment of every plugin process
// the host starts, at Load and whenever it starts one again later (after a crash or a
// hang), are this one, never the process's: a program can run hosts for several
// environments side by side. WithPluginEnv's entries are added over it. An empty or
// nil list is an empty environment.
//
// Without it, the host runs in the process's environment as os.Environ returns it
// when Load starts: a later os.Setenv does not change what a running host and its
// plugins see. Reload keeps the environment of the host it reloads unless given
// WithEnviron. In-process refreshers (WithRefresher) run in the program's process and
// read its environment, whatever this option says.
func WithEnviron(environ []string) Option {
	environ = slices.Clip(slices.Clone(environ))
	if environ == nil {
		environ = []string{}
	}
	return func(o *options) { o.environ = environ }
}

// getenvIn returns a function that reads a variable from environ, "" when unset, as
// os.Getenv does from the process's environment.
func getenvIn(environ []string) func(string) string {
	lookup := config.LookupIn(environ)
	return func(name string) string {
		v, _ := lookup(name)
		return v
	}
}

// homeDir returns the home directory that getenv names, as os.UserHomeDir finds it
// in the process's environment: $USERPROFILE on Windows, $home on Plan 9, else $HOME.
func homeDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		return getenv("USERPROFILE")
	case "plan9":
		return getenv("home")
	}
	return getenv("HOME")
}

// lookPath finds the executable file in the directories of getenv's PATH, as
// exec.LookPath does in the process's: only absolute directories are searched (a
// relative one, or an empty one that means the working directory, exec.LookPath
// refuses too, with exec.ErrDot), and on Windows the extensions of $PATHEXT are
// tried. It returns "" when there is none.
func lookPath(file string, getenv func(string) string) string {
	names := []string{file}
	if runtime.GOOS == "windows" && filepath.Ext(file) == "" {
		exts := getenv("PATHEXT")
		if exts == "" {
			exts = ".com;.exe;.bat;.cmd"
		}
		names = nil
		for _, e := range strings.Split(strings.ToLower(exts), ";") {
			if e != "" && e[0] == '.' {
				names = append(names, file+e)
			}
		}
	}
	for _, dir := range filepath.SplitList(getenv("PATH")) {
		if !filepath.IsAbs(dir) {
			continue
		}
		for _, n := range names {
			if p := filepath.Join(dir, n); isExecutable(p) {
				return p
			}
		}
	}
	return ""
}

// isExecutable reports whether path is a file that can be run: a regular file, with
// an execute bit outside Windows.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() {
		return false
	}
	return runtime.GOOS == "windows" || fi.Mode()&0o111 != 0
}
