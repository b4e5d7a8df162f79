package host_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/brs-go/brs/host"
)

// TestLoadRefusesWritableConfig: host.Load, what embedding programs call, refuses a
// config file that others may write, before any plugin starts, as the CLI does;
// LoadSource has no file and checks none.
func TestLoadRefusesWritableConfig(t *testing.T) {
	src := `plugin "test" {
  command = "{{test}}"
}
role "a" {
  source = "test"
}`
	path := writeHCL(t, src)
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	h, err := host.Load(context.Background(), path)
	if err == nil {
		h.Close()
		t.Fatal("Load accepted a world-writable config file")
	}
	var diags hcl.Diagnostics
	if !errors.As(err, &diags) || len(diags) != 1 || diags[0].Summary != "Untrusted config file" ||
		!strings.Contains(diags[0].Detail, "chmod go-w "+path) {
		t.Fatalf("%v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err = host.LoadSource(context.Background(), path, b)
	if err != nil {
		t.Fatalf("LoadSource: %v", err)
	}
	h.Close()
}
