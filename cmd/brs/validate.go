package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// runValidate is `brs validate`.
func runValidate(ctx context.Context, c *cli, _ []string) int {
	h, path, code := c.load(ctx)
	if h == nil {
		return code
	}
	defer c.closeHost(h)
	if warnings := h.Warnings(); len(warnings) > 0 {
		_ = h.WriteWarnings(c.stderr, c.color)
		writeSummary(c.stderr, warnings)
	}
	roles := h.Roles()
	noun := "roles"
	if len(roles) == 1 {
		noun = "role"
	}
	fmt.Fprintf(c.stdout, "ok: %d %s (%s) in %s\n", len(roles), noun, strings.Join(roles, ", "), path)
	return exitOK
}

// writeSummary prints one line per diagnostic, FILE:LINE:COLUMN: severity: summary,
// the form editors and grep understand.
func writeSummary(w io.Writer, diags hcl.Diagnostics) {
	var b strings.Builder
	for _, d := range diags {
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		if d.Subject != nil {
			fmt.Fprintf(&b, "%s:%d:%d: ", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		fmt.Fprintf(&b, "%s: %s\n", sev, d.Summary)
	}
	_, _ = io.WriteString(w, b.String())
}
