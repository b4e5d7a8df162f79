package config

// ValidName reports whether name is a valid role or plugin name: one that validation
// accepts as a block label.
func ValidName(name string) bool { return nameRE.MatchString(name) }
