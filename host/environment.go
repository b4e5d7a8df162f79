package host

import "slices"

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
	// each once.
	Names []string
	// Undeclared names the sources that declare no variables (a plugin of contract
	// 1.0, or one that reads none): what they read cannot be told.
	Undeclared []string
	// Dynamic is true when the file gives env() or inherit_env a name that is not a
	// literal: which variables it reads cannot be told.
	Dynamic bool
}

// Environment returns the environment variables that can change what h's roles
// answer, besides those the host itself reads to find its plugins. Callers whose
// values of Names are equal (and, when Undeclared or Dynamic is set, whose whole
// environments are) get the same credentials from a host like h.
func (h *Host) Environment() Environment {
	env := Environment{Names: slices.Clone(h.fileEnv.names), Dynamic: h.fileEnv.dynamic}
	for name, p := range h.plugins {
		if len(p.environment) == 0 {
			env.Undeclared = append(env.Undeclared, name)
		}
		env.Names = append(env.Names, p.environment...)
	}
	slices.Sort(env.Names)
	slices.Sort(env.Undeclared)
	env.Names = slices.Compact(env.Names)
	return env
}
