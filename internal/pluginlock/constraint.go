package pluginlock

import (
	"fmt"
	"strings"

	"golang.org/x/mod/semver"
)

// Constraints is a parsed version constraint such as "~> 1.2, != 1.2.5": a version
// must meet every one of its parts.
type Constraints struct {
	text  string
	parts []constraint
}

type constraint struct {
	op      string // "=", "!=", ">", ">=", "<", "<=", "~>"
	version string // canonical semver with a leading "v"
	// upper is the first version "~>" excludes.
	upper string
}

// ParseConstraints parses a comma-separated list of version constraints. Each is an
// operator (=, !=, >, >=, <, <=, ~>; none means =) and a semantic version without a
// leading "v". "~> 1.2" allows 1.2 and later 1.x, "~> 1.2.3" allows 1.2.3 and later 1.2.x,
// as in Terraform and Packer.
func ParseConstraints(s string) (Constraints, error) {
	c := Constraints{text: strings.TrimSpace(s)}
	if c.text == "" {
		return c, fmt.Errorf("empty version constraint: write one such as \"~> 1.2\" or \"1.2.3\"")
	}
	for _, raw := range strings.Split(s, ",") {
		part := strings.TrimSpace(raw)
		op := "="
		for _, o := range []string{"~>", ">=", "<=", "!=", ">", "<", "="} {
			if strings.HasPrefix(part, o) {
				op, part = o, strings.TrimSpace(part[len(o):])
				break
			}
		}
		v, ok := Canonical(part)
		if !ok {
			return Constraints{}, fmt.Errorf("version constraint %q: %q is not a semantic version such as 1.2.3", c.text, part)
		}
		k := constraint{op: op, version: v}
		if op == "~>" {
			k.upper = pessimisticUpper(part)
		}
		c.parts = append(c.parts, k)
	}
	return c, nil
}

// Canonical returns v as canonical semver with a leading "v" ("1.2" → "v1.2.0").
func Canonical(v string) (string, bool) {
	if v == "" || strings.HasPrefix(v, "v") {
		return "", false
	}
	c := semver.Canonical("v" + v)
	return c, c != ""
}

// pessimisticUpper returns the first version "~> v" excludes: the next minor for
// "1.2.3", the next major for "1.2" or "1".
func pessimisticUpper(v string) string {
	core, _, _ := strings.Cut(v, "-")
	core, _, _ = strings.Cut(core, "+")
	n := strings.Split(core, ".")
	atoi := func(s string) int {
		x := 0
		for _, r := range s {
			x = x*10 + int(r-'0')
		}
		return x
	}
	switch len(n) {
	case 3:
		return fmt.Sprintf("v%d.%d.0-0", atoi(n[0]), atoi(n[1])+1)
	default:
		return fmt.Sprintf("v%d.0.0-0", atoi(n[0])+1)
	}
}

// String returns the constraints as written.
func (c Constraints) String() string { return c.text }

// Allows reports whether version (without a leading "v") meets every constraint. A
// pre-release is allowed only by a constraint that names it exactly.
func (c Constraints) Allows(version string) bool {
	v, ok := Canonical(version)
	if !ok || len(c.parts) == 0 {
		return false
	}
	if semver.Prerelease(v) != "" {
		exact := false
		for _, k := range c.parts {
			exact = exact || (k.op == "=" && k.version == v)
		}
		if !exact {
			return false
		}
	}
	for _, k := range c.parts {
		cmp := semver.Compare(v, k.version)
		var ok bool
		switch k.op {
		case "=":
			ok = cmp == 0
		case "!=":
			ok = cmp != 0
		case ">":
			ok = cmp > 0
		case ">=":
			ok = cmp >= 0
		case "<":
			ok = cmp < 0
		case "<=":
			ok = cmp <= 0
		case "~>":
			ok = cmp >= 0 && semver.Compare(v, k.upper) < 0
		}
		if !ok {
			return false
		}
	}
	return true
}

// Newest returns the newest of versions that c allows, or "" if none does.
func (c Constraints) Newest(versions []string) string {
	best := ""
	for _, v := range versions {
		if !c.Allows(v) {
			continue
		}
		if best == "" || semver.Compare("v"+v, "v"+best) > 0 {
			best = v
		}
	}
	return best
}
