package shared

import (
	"errors"
	"fmt"
	"strings"
)

// CheckSchema reports why the host cannot use s: an attribute whose name is not
// lower_snake_case (a letter, then letters, digits and underscores, at most
// MaxSummaryLen bytes), whose type is not one of the declared Types, that is declared
// twice, that has no description, that is marked Command without being a string, or
// that has bounds (Min, Max) without being a duration or with Min above Max or either
// negative; or a schema without a description. It is the
// one schema check: the host applies it to every refresher, plugin or in-process, and
// the plugintest conformance suite to the refresher under test.
func CheckSchema(s Schema) error {
	var errs []error
	if s.Description == "" {
		errs = append(errs, errors.New("the schema has no description"))
	}
	seen := make(map[string]bool, len(s.Attributes))
	for _, a := range s.Attributes {
		name := Clean(a.Name, MaxSummaryLen)
		switch {
		case !validName(a.Name):
			errs = append(errs, fmt.Errorf("attribute %q: a name must be lower_snake_case (a letter, then letters, digits and underscores), at most %d bytes", name, MaxSummaryLen))
		case seen[a.Name]:
			errs = append(errs, fmt.Errorf("attribute %q is declared twice", name))
		case !a.Type.Valid():
			errs = append(errs, fmt.Errorf("attribute %q has unsupported type %q", name, Clean(string(a.Type), MaxSummaryLen)))
		case a.Description == "":
			errs = append(errs, fmt.Errorf("attribute %q has no description", name))
		case a.Command && a.Type != TypeString:
			errs = append(errs, fmt.Errorf("attribute %q is marked Command but has type %q: a command is a string", name, Clean(string(a.Type), MaxSummaryLen)))
		case (a.Min != 0 || a.Max != 0) && a.Type != TypeDuration:
			errs = append(errs, fmt.Errorf("attribute %q has bounds (Min, Max) but type %q: only a duration has bounds", name, Clean(string(a.Type), MaxSummaryLen)))
		case a.Min < 0 || a.Max < 0 || (a.Max != 0 && a.Min > a.Max):
			errs = append(errs, fmt.Errorf("attribute %q has bounds Min %v and Max %v: they must not be negative, and Min must not be above Max", name, a.Min, a.Max))
		}
		seen[a.Name] = true
	}
	return errors.Join(errs...)
}

// validName reports whether name is lower_snake_case and at most MaxSummaryLen bytes.
func validName(name string) bool {
	if name == "" || len(name) > MaxSummaryLen || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; c != '_' && (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// MaxEnvironment bounds the environment variable names a source may declare in
// SchemaResponse.Environment. The AWS SDK reads about fifty; four times that leaves
// room for any honest source and keeps a hostile list from costing the host more.
const MaxEnvironment = 256

// CheckSchemaResponse reports why the host cannot use resp: its schema fails
// CheckSchema or its environment fails CheckEnvironment.
func CheckSchemaResponse(resp *SchemaResponse) error {
	if resp == nil {
		return errors.New("no schema")
	}
	return errors.Join(CheckSchema(resp.Schema), CheckEnvironment(resp.Environment))
}

// CheckEnvironment reports why the host cannot use names as a source's Environment:
// more than MaxEnvironment names, or a name that is not a variable name (a letter or
// underscore, then letters, digits and underscores, at most MaxSummaryLen bytes) or a
// prefix (such a name followed by "*"). A bare "*" (every variable) is refused: a source
// that reads everything cannot be shared and should say which variables it reads.
func CheckEnvironment(names []string) error {
	if len(names) > MaxEnvironment {
		return fmt.Errorf("the source declares %d environment variables, more than the %d accepted", len(names), MaxEnvironment)
	}
	var errs []error
	for _, n := range names {
		if !validEnvName(n) {
			errs = append(errs, fmt.Errorf("environment variable %q: a name must be letters, digits and underscores, not starting with a digit, at most %d bytes, optionally followed by \"*\" for a prefix", Clean(n, MaxSummaryLen), MaxSummaryLen))
		}
	}
	return errors.Join(errs...)
}

// validEnvName reports whether name is a variable name or a prefix (NAME*).
func validEnvName(name string) bool {
	if len(name) > MaxSummaryLen {
		return false
	}
	name = strings.TrimSuffix(name, "*")
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c != '_' && (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// EnvironmentMatches reports whether the variable called name is one that names, a
// source's Environment, declares: equal to a name, or starting with a prefix's stem.
func EnvironmentMatches(names []string, name string) bool {
	for _, n := range names {
		if stem, ok := strings.CutSuffix(n, "*"); ok {
			if strings.HasPrefix(name, stem) {
				return true
			}
		} else if n == name {
			return true
		}
	}
	return false
}
