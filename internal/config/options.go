package config

import (
	"runtime"
	"strings"
)

// Option configures Parse, ParseSource, ParseOnly and ParseSourceOnly.
type Option func(*parseOptions)

type parseOptions struct {
	// lookupEnv is what env() reads; nil means this process's environment.
	lookupEnv func(string) (string, bool)
}

func newParseOptions(opts []Option) parseOptions {
	var o parseOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithEnviron makes env() in the file, in its config blocks too (DecodeConfig), read
// environ, a list of "NAME=value" entries as os.Environ returns (the last entry of a
// name wins), instead of this process's environment. The default is the process's
// environment at the time each expression is evaluated.
func WithEnviron(environ []string) Option {
	lookup := LookupIn(environ)
	return func(o *parseOptions) { o.lookupEnv = lookup }
}

// LookupIn returns a function that looks names up in environ, a list of "NAME=value"
// entries, as os.LookupEnv does in the process's environment: the last entry of a name
// wins; on Windows, where names are not case-sensitive, whatever their case. environ
// is copied.
func LookupIn(environ []string) func(string) (string, bool) {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			m[envKey(k)] = v
		}
	}
	return func(name string) (string, bool) {
		v, ok := m[envKey(name)]
		return v, ok
	}
}

// envKey is how a variable's name is compared: as it is, but on Windows in upper case.
func envKey(name string) string {
	if runtime.GOOS == "windows" {
		return strings.ToUpper(name)
	}
	return name
}
