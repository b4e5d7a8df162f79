package config

import (
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// finish makes diags ready to return: every diagnostic gets a subject (fallback when
// it has none), no diagnostic keeps an expression or evaluation context, and the
// diagnostics are in source order, so that output does not depend on map iteration.
func finish(diags hcl.Diagnostics, fallback hcl.Range) hcl.Diagnostics {
	diags = cleanDiags(diags)
	for _, d := range diags {
		if d.Subject == nil || (d.Subject.Filename == "" && d.Subject.Start.Line == 0) {
			r := fallback
			d.Subject = &r
		}
	}
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Start.Line != b.Start.Line {
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
	return diags
}

// at formats where r starts as file:line,column.
func at(r hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", r.Filename, r.Start.Line, r.Start.Column)
}

// suggest returns the name among names closest to given, or "" when none is close
// enough to be a likely typo.
func suggest(given string, names []string) string {
	best, bestDist := "", 3
	g := utf8.RuneCountInString(given)
	for _, n := range names {
		if abs(utf8.RuneCountInString(n)-g) >= bestDist {
			continue // cannot be close enough; skip the quadratic comparison
		}
		if d := distance(given, n); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// distance returns the Levenshtein distance between a and b, counted in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
