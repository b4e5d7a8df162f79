package config

import (
	"fmt"
	"slices"
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

// Suggest returns the name among names closest to given, or "" when none is close
// enough to be a likely typo: the "did you mean" of a diagnostic. Swapped neighbours
// count as one typo, and between names as close, one that holds the same letters as
// given wins ("sst" is "sts", not "sso").
func Suggest(given string, names []string) string { return suggest(given, names) }

func suggest(given string, names []string) string {
	best, bestDist, bestSame := "", 3, false
	g := utf8.RuneCountInString(given)
	for _, n := range names {
		if abs(utf8.RuneCountInString(n)-g) >= bestDist {
			continue // cannot be close enough; skip the quadratic comparison
		}
		d := distance(given, n)
		same := sameLetters(given, n)
		if d < bestDist || d == bestDist && same && !bestSame {
			best, bestDist, bestSame = n, d, same
		}
	}
	return best
}

// sameLetters reports whether a and b hold the same runes, in any order.
func sameLetters(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	slices.Sort(ra)
	slices.Sort(rb)
	return slices.Equal(ra, rb)
}

// distance returns the optimal string alignment distance between a and b, counted in
// runes: the edits (insertions, deletions, substitutions and swaps of neighbours) that
// turn a into b, no substring edited twice.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	before := make([]int, len(rb)+1) // row i-2
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
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], before[j-2]+1)
			}
		}
		before, prev, cur = prev, cur, before
	}
	return prev[len(rb)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
