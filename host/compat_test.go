package host_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/host"
)

// protocol1Revision is a revision of this repository whose plugin SDK speaks refresher
// protocol 1, the first one third parties built plugins with. Hosts keep running
// plugins built from it, unchanged, whatever protocol they speak themselves.
const protocol1Revision = "0cef6380ecafa04b0918db0bd59529ddeaa591aa"

// buildAtRevision builds the main package pkg (a path relative to the repository)
// from the sources of this repository at rev, as a third party who pinned brs at rev
// would, and returns the binary's path.
func buildAtRevision(t *testing.T, rev, pkg string) string {
	t.Helper()
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Fatalf("this test builds a plugin from the repository's history and needs git and a clone of the repository: %v", err)
	}
	src := t.TempDir()
	archive := exec.Command("git", "-C", strings.TrimSpace(string(top)), "archive", "--format=tar", rev, "go.mod", "go.sum", "shared", "plugin", pkg)
	untar := exec.Command("tar", "-x", "-C", src)
	untar.Stdin, err = archive.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var archiveErr strings.Builder
	archive.Stderr = &archiveErr
	if err := archive.Start(); err != nil {
		t.Fatal(err)
	}
	if out, err := untar.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	if err := archive.Wait(); err != nil {
		t.Fatalf("git archive %s: %v: %s (a shallow clone lacks it: fetch the history)", rev, err, archiveErr.String())
	}
	bin := filepath.Join(t.TempDir(), "brs-plugin-"+filepath.Base(pkg))
	build := exec.Command("go", "build", "-o", bin, "./"+pkg)
	build.Dir = src
	build.Env = append(os.Environ(), "GOFLAGS=-mod=readonly -buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building %s at %s: %v\n%s", pkg, rev, err, out)
	}
	return bin
}

// TestProtocol1Plugin: the example third-party plugin, built with the SDK of
// protocol 1 from a pinned old revision, is loaded, validated and refreshed by
// today's host.
func TestProtocol1Plugin(t *testing.T) {
	bin := buildAtRevision(t, protocol1Revision, "examples/plugin")
	dir := t.TempDir()
	credsFile := filepath.Join(dir, "creds.json")
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	doc, _ := json.Marshal(map[string]any{
		"Version": 1, "AccessKeyId": "ASIAOLDPROTOCOL1", "SecretAccessKey": "old-protocol-secret",
		"SessionToken": "old-protocol-token", "Expiration": exp.Format(time.RFC3339),
	})
	if err := os.WriteFile(credsFile, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	h := load(t, `
plugin "file" {
  command = "`+bin+`"
}
role "old" {
  source = "file"
  config {
    path = "`+credsFile+`"
  }
}
`)
	creds, err := h.Credentials(context.Background(), "old")
	if err != nil {
		t.Fatalf("Credentials through the protocol 1 plugin: %v", err)
	}
	if creds.AccessKeyID != "ASIAOLDPROTOCOL1" || creds.SecretAccessKey != "old-protocol-secret" || !creds.Expires.Equal(exp) {
		t.Fatalf("got %v, want the file's credentials expiring %v", creds, exp)
	}
	var info *host.PluginInfo
	for _, p := range h.Plugins() {
		if p.Name == "file" {
			info = &p
		}
	}
	if info == nil || info.ProtocolVersion != 1 {
		t.Fatalf("plugins: %+v, want file on protocol 1", h.Plugins())
	}
}
