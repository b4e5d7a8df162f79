package config

import (
	"strconv"
	"strings"
	"testing"

	"github.com/brs-go/brs/shared"
)

// listSchema has a list and a map, as sources' policy_arns and tags.
var listSchema = shared.Schema{
	Description: "A source with collections, for tests.",
	Attributes: []shared.Attribute{
		{Name: "policy_arns", Type: shared.TypeStringList},
		{Name: "tags", Type: shared.TypeStringMap},
	},
}

// numbers returns a list expression of n numbers, written as the attack did.
func numbers(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = strconv.Itoa(i)
	}
	return "[" + strings.Join(items, ",") + "]"
}

// tagsMap returns a map expression of n items, one per line.
func tagsMap(n int) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i := range n {
		b.WriteString("      k" + strconv.Itoa(i) + " = \"v\"\n")
	}
	b.WriteString("    }")
	return b.String()
}

// roleWith returns a role whose config block holds attr = expr on line 4, column 5.
func roleWith(name, attr, expr string) string {
	return "role \"" + name + "\" {\n  source = \"s\"\n  config {\n    " + attr + " = " + expr + "\n  }\n}\n"
}

// TestCollectionSize: a list or map of MaxCollectionItems elements is accepted and
// decodes; one more is refused before HCL parses the file, at the list's or map's
// opening bracket, line:col.
func TestCollectionSize(t *testing.T) {
	for _, tc := range []struct {
		name, attr string
		expr       func(int) string
		col        int
	}{
		{"list", "policy_arns", numbers, 19},
		{"map", "tags", tagsMap, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := roleWith("a", tc.attr, tc.expr(MaxCollectionItems))
			f, diags := ParseSource([]byte(src), "brs.hcl")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if _, diags := DecodeConfig(f.Role("a"), listSchema); diags.HasErrors() {
				t.Fatal(diags)
			}
			f, diags = ParseSource([]byte(roleWith("a", tc.attr, tc.expr(MaxCollectionItems+1))), "brs.hcl")
			if len(diags) != 1 || diags[0].Summary != "Too many elements" || len(f.Files()) != 0 {
				t.Fatalf("%d files parsed, %v; want one error before parsing", len(f.Files()), diags)
			}
			if r := diags[0].Subject; r.Start.Line != 4 || r.Start.Column != tc.col {
				t.Errorf("at %v, want brs.hcl:4:%d", r, tc.col)
			}
			if want := "A list or map in a brs file holds at most 1000 elements."; diags[0].Detail != want {
				t.Errorf("%q, want %q", diags[0].Detail, want)
			}
		})
	}
}

// TestCollectionsTotal: lists of MaxCollectionItems elements each add up; the one
// that takes the file past MaxCollectionItemsTotal is refused at its line. Nested
// lists count, and block bodies (roles, config blocks) do not.
func TestCollectionsTotal(t *testing.T) {
	n := MaxCollectionItemsTotal / MaxCollectionItems
	var b strings.Builder
	for i := range n {
		b.WriteString(roleWith("r"+strconv.Itoa(i), "policy_arns", numbers(MaxCollectionItems)))
	}
	src := b.String()
	if _, diags := ParseSource([]byte(src), "brs.hcl"); diags.HasErrors() {
		t.Fatalf("%d lists of %d: %v", n, MaxCollectionItems, diags)
	}
	_, diags := ParseSource([]byte(src+roleWith("last", "policy_arns", "[[1]]")), "brs.hcl")
	if len(diags) != 1 || diags[0].Summary != "Too many elements" || diags[0].Subject.Start.Line != 6*n+4 {
		t.Fatalf("%v; want one error on line %d", diags, 6*n+4)
	}
	if want := "The lists and maps of a brs file hold at most 10000 elements together."; diags[0].Detail != want {
		t.Errorf("%q, want %q", diags[0].Detail, want)
	}

	// 2,000 roles with two attributes each: block bodies are not collections.
	b.Reset()
	for i := range 2000 {
		b.WriteString("role \"r" + strconv.Itoa(i) + "\" {\n  source = \"s\"\n  region = \"eu-west-1\"\n}\n")
	}
	if _, diags := ParseSource([]byte(b.String()), "brs.hcl"); diags.HasErrors() {
		t.Fatal(diags)
	}
}

// TestWorstCaseFileBounded: the worst case, a file that is one long list of
// numbers (here 256 KiB, 131,000 numbers, which took minutes), is refused at the list
// before HCL parses or go-cty converts anything (no file is parsed, no role decoded),
// so the work it causes is the linear scan of its tokens. What a file under the limits
// can cost in conversions is MaxCollectionItems × MaxCollectionItemsTotal element
// steps (BenchmarkWorstCaseLoad measures it).
func TestWorstCaseFileBounded(t *testing.T) {
	head := "role \"a\" {\n  source = \"s\"\n  config {\n    policy_arns = ["
	src := head + strings.Repeat("1,", 128<<10) + "1]\n  }\n}\n"
	f, diags := ParseSource([]byte(src), "brs.hcl")
	if len(diags) != 1 || diags[0].Summary != "Too many elements" || len(f.Files()) != 0 || len(f.Roles) != 0 {
		t.Fatalf("%d files parsed, %d roles, %v", len(f.Files()), len(f.Roles), diags)
	}
	if r := diags[0].Subject; r.Start.Line != 4 || r.Start.Column != 19 {
		t.Errorf("at %v, want brs.hcl:4:19", r)
	}
	if work := MaxCollectionItems * MaxCollectionItemsTotal; work > 10_000_000 {
		t.Errorf("the limits allow %d element steps of conversion; keep them at most 10 million (about a second)", work)
	}
}

// BenchmarkWorstCaseLoad parses and decodes the costliest file the collection limits
// let through: MaxCollectionItemsTotal numbers in lists of MaxCollectionItems, each
// converted to a list of strings.
func BenchmarkWorstCaseLoad(b *testing.B) {
	n := MaxCollectionItemsTotal / MaxCollectionItems
	var sb strings.Builder
	for i := range n {
		sb.WriteString(roleWith("r"+strconv.Itoa(i), "policy_arns", numbers(MaxCollectionItems)))
	}
	src := []byte(sb.String())
	for b.Loop() {
		f, diags := ParseSource(src, "brs.hcl")
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		for _, r := range f.Roles {
			if _, diags := DecodeConfig(r, listSchema); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	}
}
