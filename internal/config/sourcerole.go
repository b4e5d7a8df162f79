package config

import (
	"fmt"
	"strings"
)

// sourceRoles checks that every source_role names another role of the file and that
// the chains they form end. roles are in file order; byName indexes them.
func (d *decoder) sourceRoles(roles []*Role, byName map[string]*Role) {
	names := make([]string, len(roles))
	order := make(map[*Role]int, len(roles))
	for i, r := range roles {
		names[i] = r.Name
		order[r] = i
	}
	if d.allNames != nil {
		names = d.allNames
	}
	// next follows a valid source_role; nil ends the chain.
	next := func(r *Role) *Role {
		if r.SourceRole == "" || r.SourceRole == r.Name {
			return nil
		}
		return byName[r.SourceRole]
	}

	for _, r := range roles {
		switch {
		case r.SourceRole == "":
		case r.SourceRole == r.Name:
			d.errorf(r.SourceRoleRange, "Role is its own source",
				"Role %q names itself as source_role: its credentials cannot sign their own refresh. Name another role, or remove source_role to use the source's default credentials.", r.Name)
		case byName[r.SourceRole] == nil:
			detail := "source_role must name another role of this file."
			if d.literalSourceRole[r] {
				detail = fmt.Sprintf("There is no role %q in this file.", r.SourceRole)
				if s := suggest(r.SourceRole, names); s != "" {
					detail += fmt.Sprintf(" Did you mean %q?", s)
				}
			}
			d.errorf(r.SourceRoleRange, "Unknown source role", "%s", detail)
		}
	}

	// Each role has at most one source, so following the chain from every role in
	// turn finds every cycle; a role reached before (state done) cannot lead to a new
	// one.
	const (
		unseen = iota
		onPath
		done
	)
	state := make(map[*Role]int, len(roles))
	for _, start := range roles {
		var path []*Role
		cur := start
		for cur != nil && state[cur] == unseen {
			state[cur] = onPath
			path = append(path, cur)
			cur = next(cur)
		}
		if cur != nil && state[cur] == onPath {
			d.cycle(path, cur, order)
		}
		for _, r := range path {
			state[r] = done
		}
	}
}

// cycle reports the cycle that path ends in, from its role entry on. It points at
// the source_role of the cycle's role that comes first in the file.
func (d *decoder) cycle(path []*Role, entry *Role, order map[*Role]int) {
	var loop []*Role
	for i, r := range path {
		if r == entry {
			loop = path[i:]
			break
		}
	}
	first := 0
	for i, r := range loop {
		if order[r] < order[loop[first]] {
			first = i
		}
	}
	loop = append(loop[first:len(loop):len(loop)], loop[:first]...)
	var b strings.Builder
	fmt.Fprintf(&b, "role %q", loop[0].Name)
	for _, r := range loop[1:] {
		fmt.Fprintf(&b, " → %q", r.Name)
	}
	fmt.Fprintf(&b, " → %q", loop[0].Name)
	d.errorf(loop[0].SourceRoleRange, "Cycle in source_role",
		"Each role's credentials would sign the refresh of the next, in a loop that never reaches a source of its own: %s. Remove source_role from one of them.",
		b.String())
}
