package shared

import (
	"errors"
	"fmt"
)

// CheckSchema reports why the host cannot use s: an attribute whose name is not
// lower_snake_case (a letter, then letters, digits and underscores, at most
// MaxSummaryLen bytes), whose type is not one of the declared Types, that is declared
// twice, or that has no description; or a schema without a description. It is the
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
