package host_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
)

// someBroken has a chain c -> a that works, and two roles that do not load: b's config
// block fails the plugin's validation, d names a source no plugin provides.
const someBroken = `
plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
}
role "b" {
  source = "test"
  config {
    lifetime = "forever"
  }
}
role "c" {
  source      = "test"
  source_role = "a"
}
role "d" {
  source = "nope"
}
`

// TestWithOnly: a role and its source_role chain load and work although other roles of
// the file do not load; the host has those roles only.
func TestWithOnly(t *testing.T) {
	path := writeHCL(t, someBroken)
	ctx := context.Background()
	if _, err := host.Load(ctx, path); err == nil {
		t.Fatal("Load of every role succeeded; b and d are broken")
	}
	h, err := host.Load(ctx, path, host.WithOnly("c"))
	if err != nil {
		t.Fatalf("Load WithOnly(c): %v", err)
	}
	defer h.Close()
	if got := h.Roles(); !slices.Equal(got, []string{"a", "c"}) {
		t.Fatalf("Roles() = %v, want [a c]: c and its source_role", got)
	}
	if ps := h.Plugins(); len(ps) != 1 || ps[0].Name != "test" {
		t.Fatalf("Plugins() = %+v, want the test plugin only", ps)
	}
	creds, err := h.Credentials(ctx, "c")
	if err != nil || creds.AccessKeyID == "" {
		t.Fatalf("Credentials(c) = %+v, %v", creds, err)
	}
	if _, err := h.Role("b"); !errors.Is(err, host.ErrUnknownRole) {
		t.Fatalf("Role(b) = %v, want ErrUnknownRole: b was not loaded", err)
	}
	// The broken role itself still fails, with its diagnostic.
	_, err = host.Load(ctx, path, host.WithOnly("b"))
	var le *host.LoadError
	if !errors.As(err, &le) || le.Diagnostics[0].Summary != "Invalid lifetime" {
		t.Fatalf("Load WithOnly(b) = %v, want the Invalid lifetime diagnostic", err)
	}
}

// TestWithOnlyParseError: a mistake that Parse finds in a role that was not asked
// for does not fail Load WithOnly (config.ParseOnly does not read that role), as a
// role that fails its plugin's validation does not; it fails that role, and Load of
// every role (brs validate).
func TestWithOnlyParseError(t *testing.T) {
	path := writeHCL(t, someBroken+`
role "e" {
  source = "test"
  regio  = "us-east-1"
}
`)
	ctx := context.Background()
	h, err := host.Load(ctx, path, host.WithOnly("c"))
	if err != nil {
		t.Fatalf("Load WithOnly(c) = %v: e's mistake is not c's", err)
	}
	if got := h.Roles(); !slices.Equal(got, []string{"a", "c"}) {
		t.Fatalf("Roles() = %v, want [a c]", got)
	}
	h.Close()
	for _, opts := range [][]host.Option{{host.WithOnly("e")}, nil} {
		_, err := host.Load(ctx, path, opts...)
		var le *host.LoadError
		if !errors.As(err, &le) {
			t.Fatalf("Load(%d options) = %v, want *host.LoadError", len(opts), err)
		}
		found := false
		for _, d := range le.Diagnostics {
			if d.Subject != nil && d.Subject.Start.Line == 24 && d.Summary == "Unsupported argument" {
				found = true
			}
		}
		if !found {
			t.Fatalf("Load(%d options): %v, want e's regio at line 24", len(opts), le.Diagnostics)
		}
	}
	// A brace left open (a file cut short) has the file parsed whole: it fails
	// every role.
	broken := writeHCL(t, someBroken+"role \"f\" {\n  source = \"test\"\n")
	if _, err := host.Load(ctx, broken, host.WithOnly("a")); err == nil {
		t.Fatal("Load WithOnly(a) of a file whose last role is not closed succeeded")
	}
}

// TestWithOnlyUnknownRole: asking for a role the file does not declare is
// ErrUnknownRole, with the roles there are.
func TestWithOnlyUnknownRole(t *testing.T) {
	_, err := host.Load(context.Background(), writeHCL(t, threeRoles), host.WithOnly("a", "nope"))
	if !errors.Is(err, host.ErrUnknownRole) || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "a, b, c") {
		t.Fatalf("err = %v, want ErrUnknownRole naming nope and listing a, b, c", err)
	}
}

// TestLoadOrderParallel: roles validated by several workers at once are still in file
// order, and every role's diagnostics are reported, in file order.
func TestLoadOrderParallel(t *testing.T) {
	const n = 40
	var b strings.Builder
	b.WriteString("plugin \"test\" {\n  command = \"{{test}}\"\n}\n")
	var want []string
	for i := range n {
		name := fmt.Sprintf("r%02d", n-i) // not sorted by name: order is the file's
		want = append(want, name)
		fmt.Fprintf(&b, "role %q {\n  source = \"test\"\n}\n", name)
	}
	path := writeHCL(t, b.String())
	h, err := host.Load(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if got := h.Roles(); !slices.Equal(got, want) {
		t.Fatalf("Roles() = %v, want file order %v", got, want)
	}

	bad := strings.ReplaceAll(b.String(), "source = \"test\"\n", "source = \"test\"\n  config {\n    lifetime = \"forever\"\n  }\n")
	_, err = host.Load(context.Background(), writeHCL(t, bad))
	var le *host.LoadError
	if !errors.As(err, &le) || len(le.Diagnostics) != n {
		t.Fatalf("err = %v, want %d diagnostics", err, n)
	}
	for i := 1; i < n; i++ {
		if le.Diagnostics[i].Subject.Start.Line <= le.Diagnostics[i-1].Subject.Start.Line {
			t.Fatalf("diagnostics out of file order at %d: %v", i, le.Diagnostics)
		}
	}
}
