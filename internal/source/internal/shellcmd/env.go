package shellcmd

import (
	"maps"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"

	"github.com/brs-go/brs/shared"
)

// minimalEnv names the variables of this process's environment that every command
// gets: what a program needs to find other programs, its user's files and agents, its
// locale and terminal, and its way out to the network. None of them is a credential
// (a proxy URL may hold a password: see README). Everything else, the AWS_* keys
// first, reaches a command only when its role names it in inherit_env or sets it in
// env.
var minimalEnv = []string{
	"PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM", "TZ", "TMPDIR",
	// Where the user's own helpers find their configuration, sockets and agents
	// (aws-vault's keyring, pass and gpg, a hardware key's prompt).
	"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
	"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "SSH_AUTH_SOCK", "GNUPGHOME",
	"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
	// What a Windows program cannot start without.
	"SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT", "TEMP", "TMP", "USERPROFILE", "APPDATA",
	"LOCALAPPDATA", "PROGRAMDATA", "PROGRAMFILES", "HOMEDRIVE", "HOMEPATH", "USERNAME",
}

// MinimalEnv returns the names of the variables every command inherits, sorted.
func MinimalEnv() []string { return slices.Sorted(slices.Values(minimalEnv)) }

// envName matches a portable environment variable name (POSIX: letters, digits and
// underscores, not starting with a digit).
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// reserved reports whether name is one of the variables go-plugin sets to launch a
// plugin, or one of brs's own plugin variables: a command never gets them, so that
// one that is itself a brs plugin, or runs one, cannot believe that a host launched it.
func reserved(name string) bool {
	n := strings.ToUpper(name)
	return strings.HasPrefix(n, "PLUGIN_") || strings.HasPrefix(n, "BRS_PLUGIN_")
}

// sameName reports whether a and b name the same variable: case-insensitively on
// Windows, as its environment is.
func sameName(a, b string) bool {
	if runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// inherited reports whether a variable of this process called name is passed on.
func inherited(name string, inherit []string) bool {
	if reserved(name) {
		return false
	}
	if strings.HasPrefix(name, "LC_") {
		return true
	}
	for _, list := range [][]string{minimalEnv, inherit} {
		for _, n := range list {
			if sameName(n, name) {
				return true
			}
		}
	}
	return false
}

// Environ returns a command's environment: the variables of this process named by
// MinimalEnv, any LC_* and those named in inherit, then env's KEY=VALUE entries, which
// win. go-plugin's and brs's plugin launch variables are never inherited.
func Environ(inherit, env []string) []string {
	var out []string
	set := func(kv string) {
		name, _, _ := strings.Cut(kv, "=")
		out = slices.DeleteFunc(out, func(e string) bool {
			n, _, _ := strings.Cut(e, "=")
			return sameName(n, name)
		})
		out = append(out, kv)
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "" && inherited(name, inherit) {
			set(kv)
		}
	}
	for _, kv := range env {
		set(kv)
	}
	return out
}

// EnvPairs returns env as KEY=VALUE entries, sorted by name.
func EnvPairs(env map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, k+"="+env[k])
	}
	return out
}

// ValidateEnv checks a role's env map and inherit_env list, named envAttr and
// inheritAttr in its schema: valid names, values without NUL, no plugin launch
// variable, and no name in both. Values are never quoted in a diagnostic: they may be
// secrets.
func ValidateEnv(envAttr string, env map[string]string, inheritAttr string, inherit []string) shared.Diagnostics {
	var ds shared.Diagnostics
	for _, k := range slices.Sorted(maps.Keys(env)) {
		switch {
		case !envName.MatchString(k):
			ds = append(ds, shared.ErrorDiag(envAttr, "Invalid environment variable name",
				"%q is not a variable name: use letters, digits and underscores, not starting with a digit.", k))
		case reserved(k):
			ds = append(ds, shared.ErrorDiag(envAttr, "Reserved environment variable",
				"%s is a variable brs or go-plugin uses to launch plugins; a command may not be given one.", k))
		case strings.ContainsRune(env[k], 0):
			ds = append(ds, shared.ErrorDiag(envAttr, "Invalid environment variable value",
				"The value of %s contains a NUL character, which no environment can hold.", k))
		}
	}
	seen := map[string]bool{}
	for _, k := range inherit {
		switch {
		case !envName.MatchString(k):
			ds = append(ds, shared.ErrorDiag(inheritAttr, "Invalid environment variable name",
				"%q is not a variable name: use letters, digits and underscores, not starting with a digit.", k))
		case reserved(k):
			ds = append(ds, shared.ErrorDiag(inheritAttr, "Reserved environment variable",
				"%s is a variable brs or go-plugin uses to launch plugins; a command may not inherit it.", k))
		case seen[k]:
			ds = append(ds, shared.ErrorDiag(inheritAttr, "Duplicate environment variable", "%s is listed twice.", k))
		default:
			if _, ok := env[k]; ok {
				ds = append(ds, shared.ErrorDiag(inheritAttr, "Environment variable set twice",
					"%s is both in %s and %s; keep one: %s sets a value, %s passes on the one brs was started with.",
					k, envAttr, inheritAttr, envAttr, inheritAttr))
			}
		}
		seen[k] = true
	}
	return ds
}
