package main

import (
	"strings"

	"github.com/brs-go/brs/internal/safetext"
)

// This file keeps text that brs did not write (a plugin's error message, an ARN, a key
// id) from acting on the terminal. The host already escapes and bounds what plugins
// send; this is the second line, for every text the CLI prints for people.

// termSafe returns s with its control characters escaped (ESC as \x1b, a newline as
// \n …), for one cell or one line of terminal output.
func termSafe(s string) string { return safetext.Escape(s) }

// termSafeLines is termSafe for text of several lines, such as an error that lists
// diagnostics: the newlines stay, everything else is escaped.
func termSafeLines(s string) string {
	if !safetext.NeedsEscape(s) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safetext.Escape(l)
	}
	return strings.Join(lines, "\n")
}
