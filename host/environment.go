package host

import (
	"encoding/json"
	"slices"
)

// fileEnvironment is what a config file makes its roles read: the names it gives
// env() and inherit_env, and whether one of them is not a literal.
type fileEnvironment struct {
	names   []string
	dynamic bool
}

// Environment describes the environment variables that can change what a host's
// roles answer.
type Environment struct {
	// Names are the variables the roles' sources declare they read
	// (shared.SchemaResponse.Environment, where a name ending in "*" is a prefix),
	// the names the file gives env() and those in its inherit_env lists; sorted,
	// each once. PATH, which decides what program a command runs, counts for a
	// source that has command attributes only when a role sets one.
	Names []string
	// Undeclared names the sources whose schema does not say what they read (a
	// plugin of contract 1.0, or a nil shared.SchemaResponse.Environment); a source
	// that declares an empty list reads nothing and is not named here.
	Undeclared []string
	// Dynamic is true when the file gives env() or inherit_env a name that is not a
	// literal: which variables it reads cannot be told.
	Dynamic bool
	// Discovered is true when a plugin's binary was found by searching (plugin
	// directories, $BRS_PLUGIN_DIR, $PATH, $GOBIN...), not given by a path: the
	// variables of that search count too.
	Discovered bool
}

// Environment returns the environment variables that can change what h's roles
// answer. Callers whose values of Names are equal (and, when Undeclared or Dynamic
// is set, whose whole environments are; when Discovered is, whose plugin search
// variables are) get the same credentials from a host like h.
func (h *Host) Environment() Environment {
	env := Environment{Names: slices.Clone(h.fileEnv.names), Dynamic: h.fileEnv.dynamic}
	for name, p := range h.plugins {
		env.Discovered = env.Discovered || p.discovered
		if p.environment == nil {
			env.Undeclared = append(env.Undeclared, name)
			continue
		}
		for _, v := range p.environment {
			if v != "PATH" || h.runsCommand(p) {
				env.Names = append(env.Names, v)
			}
		}
	}
	slices.Sort(env.Names)
	slices.Sort(env.Undeclared)
	env.Names = slices.Compact(env.Names)
	return env
}

// runsCommand reports whether PATH can matter to p's roles: p's schema has no
// command attribute (what it runs cannot be told), or a role of p sets one.
func (h *Host) runsCommand(p *pluginProc) bool {
	var cmds []string
	for _, a := range p.schema.Attributes {
		if a.Command {
			cmds = append(cmds, a.Name)
		}
	}
	if len(cmds) == 0 {
		return true
	}
	for _, r := range h.roles {
		if r.plugin != p {
			continue
		}
		var attrs map[string]any
		if json.Unmarshal(r.config, &attrs) != nil {
			return true
		}
		for _, c := range cmds {
			if v, ok := attrs[c]; ok && v != nil && v != "" {
				return true
			}
		}
	}
	return false
}
