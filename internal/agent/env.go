package agent

import (
	"slices"
	"strings"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/agentproto"
	"github.com/brs-go/brs/shared"
)

// clientOnly reports whether a variable is read only by the programs that call brs
// (agentproto.ClientOnly: AWS_DATA_PATH, AWS_PAGER, AWS_DEFAULT_OUTPUT, AWS_CLI_*,
// BRS_AGENT*, BRS_CONFIG): callers that differ in them share a host, even when a
// source declares them (as a prefix such as AWS_*).
func clientOnly(name string) bool { return agentproto.ClientOnly(name) }

// shellVar reports whether a variable describes the terminal or the shell a caller
// runs in: no source reads it, so it never separates hosts, even of sources whose
// environment cannot be told.
func shellVar(name string) bool {
	switch name {
	case "_", "PWD", "OLDPWD", "SHLVL", "PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND", "COLUMNS", "LINES",
		"COLORTERM", "LS_COLORS", "LSCOLORS", "HISTFILE", "HISTSIZE", "HISTFILESIZE", "HISTCONTROL",
		"WINDOWID", "STY", "TMUX", "TMUX_PANE", "SSH_TTY", "VTE_VERSION", "INSIDE_EMACS":
		return true
	}
	return strings.HasPrefix(name, "TERM") || strings.HasPrefix(name, "ITERM_") || strings.HasPrefix(name, "KONSOLE_")
}

// searchVar reports whether plugin discovery reads a variable: where it looks for
// brs-plugin-NAME (PATH, HOME for ~/go/bin, GOBIN, GOPATH, the plugin install
// directory under XDG_DATA_HOME). BRS_* variables (BRS_PLUGIN_DIR...) always count.
func searchVar(name string) bool {
	switch name {
	case "PATH", "HOME", "USERPROFILE", "GOBIN", "GOPATH", "XDG_DATA_HOME":
		return true
	}
	return false
}

// varSet is what separates the hosts of one config file: the variables its roles
// read (a name ending in "*" is a prefix), or all of them (all) when that cannot be
// told. The zero value, before a host of the file has loaded, is all.
type varSet struct {
	names []string
	// known is false while no host of the file has loaded: then every variable
	// counts, as with all.
	known bool
	all   bool
	// searched is true when a plugin was found by searching: the variables of the
	// search count (searchVar).
	searched bool
}

// varsOf is the varSet of a loaded host: its sources' declared variables, the file's
// env() and inherit_env names, the plugin search's when it searched; all when a
// source declares none or a name is not a literal.
func varsOf(env host.Environment) varSet {
	return varSet{names: env.Names, known: true, all: env.Dynamic || len(env.Undeclared) > 0, searched: env.Discovered}
}

// union returns the variables of v and w: a file's hosts are keyed by the variables
// any of them reads.
func (v varSet) union(w varSet) varSet {
	if !v.known {
		return w
	}
	if !w.known {
		return v
	}
	names := append(slices.Clone(v.names), w.names...)
	slices.Sort(names)
	return varSet{names: slices.Compact(names), known: true, all: v.all || w.all, searched: v.searched || w.searched}
}

func (v varSet) equal(w varSet) bool {
	return v.known == w.known && v.all == w.all && v.searched == w.searched && slices.Equal(v.names, w.names)
}

// relevant reports whether a variable separates hosts of a file whose roles read v.
func (v varSet) relevant(name string) bool {
	switch {
	case clientOnly(name):
		return false
	case strings.HasPrefix(name, "BRS_"):
		return true
	case !v.known || v.all:
		return !shellVar(name)
	case v.searched && searchVar(name):
		return true
	}
	return shared.EnvironmentMatches(v.names, name)
}

// projection returns the variables of environ that separate hosts, as sorted
// "NAME=value" entries: callers with equal projections share a host.
func (v varSet) projection(environ []string) []string {
	var kept []string
	seen := map[string]bool{}
	for i := len(environ) - 1; i >= 0; i-- { // the last of a name wins, as in exec
		name, _, ok := strings.Cut(environ[i], "=")
		if ok && !seen[name] && v.relevant(name) {
			seen[name] = true
			kept = append(kept, environ[i])
		}
	}
	slices.Sort(kept)
	return kept
}

// names returns the names, never the values, of the variables that separate a host
// of environ from the others of its file, where the agent runs in agentEnv: those set
// in either.
func (v varSet) namesIn(environ, agentEnv []string) []string {
	var out []string
	for _, env := range [][]string{environ, agentEnv} {
		for _, kv := range env {
			if name, _, ok := strings.Cut(kv, "="); ok && v.relevant(name) {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// lookup returns name's value in environ.
func lookup(environ []string, name string) (string, bool) {
	for i := len(environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(environ[i], "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// ClientEnviron is the part of a command's environment sent to the agent: every
// variable but those only a client reads (agentproto.ClientEnviron).
func ClientEnviron(environ []string) []string { return agentproto.ClientEnviron(environ) }
