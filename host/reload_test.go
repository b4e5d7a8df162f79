package host_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/proctest"
)

const reloadSrc = `plugin "test" {
  command = "{{test}}"
}
role "same" {
  source = "test"
}
role "chained" {
  source      = "test"
  source_role = "same"
}
role "changed" {
  source = "test"
  config {
    lifetime = "30m"
  }
}
`

// TestReload: after Reload, an unchanged role (and one chained from it) keeps its
// credentials and plugin process; a changed role fetches anew; retire leaves what the
// new host took over running; a file that no longer loads leaves prev as it was.
func TestReload(t *testing.T) {
	ctx := context.Background()
	path := writeHCL(t, reloadSrc)
	prev, err := host.Load(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]string{}
	for _, r := range prev.Roles() {
		c, err := prev.Credentials(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		before[r] = c.AccessKeyID
	}

	// Invalid: prev keeps serving the same credentials.
	if err := os.WriteFile(path, []byte("role \"x\" {\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var le *host.LoadError
	if _, _, err := host.Reload(ctx, prev); !errors.As(err, &le) {
		t.Fatalf("Reload of an invalid file: %v, want a *LoadError", err)
	}
	if c, err := prev.Credentials(ctx, "same"); err != nil || c.AccessKeyID != before["same"] {
		t.Fatalf("prev after a failed Reload: %v %v, want %s", c.AccessKeyID, err, before["same"])
	}

	src := "# moved down a line\n" + strings.Replace(reloadSrc, `"30m"`, `"40m"`, 1)
	src = strings.ReplaceAll(src, "{{test}}", plugintestbin.Build(t, testPluginPkg))
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	next, retire, err := host.Reload(ctx, prev)
	if err != nil {
		t.Fatal(err)
	}
	retire()
	defer next.Close()
	for role, kept := range map[string]bool{"same": true, "chained": true, "changed": false} {
		c, err := next.Credentials(ctx, role)
		if err != nil {
			t.Fatalf("role %s after Reload: %v", role, err)
		}
		if (c.AccessKeyID == before[role]) != kept {
			t.Errorf("role %s: %s after Reload (before %s), want kept %v", role, c.AccessKeyID, before[role], kept)
		}
	}
	// One plugin process for the kept and the changed roles: the old one, still alive
	// after retire.
	pid := pidOf(t, before["same"])
	if c, _ := next.Credentials(ctx, "changed"); pidOf(t, c.AccessKeyID) != pid {
		t.Errorf("the changed role was fetched by process %d, want the kept plugin %d", pidOf(t, c.AccessKeyID), pid)
	}
	if ps := next.Plugins(); len(ps) != 1 || ps[0].PID != pid {
		t.Errorf("plugins after Reload: %+v, want the kept process %d", ps, pid)
	}
	next.Close()
	proctest.WaitGone(t, pid)
}
