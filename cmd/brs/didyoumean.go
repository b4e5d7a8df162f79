package main

import (
	"errors"
	"fmt"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/config"
)

// roleError reports the error of looking up role among the roles of the file at path
// and returns exitError. For an unknown role that is a likely typo of one there is, it
// adds "did you mean": the host's error lists every role, which in a long file hides
// the one meant.
func (c *cli) roleError(err error, role, path string) int {
	c.errorf("%v", err)
	if !errors.Is(err, host.ErrUnknownRole) {
		return exitError
	}
	names, _ := host.RoleNames(path) // every role of the file, not only those loaded
	if s := config.Suggest(role, names); s != "" {
		fmt.Fprintf(c.stderr, "brs: did you mean %q?\n", s)
	}
	return exitError
}
