package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/plugin"
)

func TestPluginsCommand(t *testing.T) {
	bin := plugintestbin.Build(t, testPluginPkg)
	sum, err := fileSHA256(bin)
	if err != nil {
		t.Fatal(err)
	}
	pinned := strings.Replace(testRoles, `command = "{{test}}"`, `command = "{{test}}"
  sha256  = "`+sum+`"`, 1)
	path := writeHCL(t, t.TempDir(), "brs.hcl", pinned)
	r := runBRS(t, "-c", path, "plugins")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	want := "test\n  path      " + bin + "\n  plugin    test 0.0.1-test (brs plugin SDK " + plugin.SDKVersion + ")\n  protocol  2\n  sha256    " + sum + "\n  pinned    ✓ matches the plugin block's sha256\n  roles     a, b\n  pid       "
	if !strings.HasPrefix(r.stdout, want) || !regexp.MustCompile(`\n  pid       [1-9]\d*\n$`).MatchString(r.stdout) {
		t.Errorf("got:\n%s\nwant it to start with:\n%s", r.stdout, want)
	}

	// Not pinned: brs says how to pin it.
	path = writeHCL(t, t.TempDir(), "brs.hcl", testRoles)
	r = runBRS(t, "-c", path, "plugins", "--json")
	var docs []pluginDoc
	if err := json.Unmarshal([]byte(r.stdout), &docs); err != nil || r.code != exitOK {
		t.Fatalf("--json: exit %d, %v:\n%s", r.code, err, r.stdout)
	}
	if len(docs) != 1 || docs[0].SHA256 != sum || docs[0].Pinned != pinNone || docs[0].PID == 0 || docs[0].ProtocolVersion != 2 ||
		docs[0].PluginName != "test" || docs[0].PluginVersion != "0.0.1-test" || docs[0].SDKVersion != plugin.SDKVersion ||
		strings.Join(docs[0].Roles, ",") != "a,b" {
		t.Errorf("--json: %+v", docs)
	}
	r = runBRS(t, "-c", path, "plugins")
	if !strings.Contains(r.stdout, "  pinned    no: add sha256 = \""+sum+"\" to a plugin \"test\" block to pin it\n") {
		t.Errorf("unpinned:\n%s", r.stdout)
	}
}

// TestPluginsMismatch: a binary that no longer matches its pin (replaced after brs
// started it) is shown as MISMATCH; an unreadable one says why.
func TestPluginsMismatch(t *testing.T) {
	infos := []host.PluginInfo{
		{Name: "sts", Path: "/bin/brs-plugin-sts", SHA256: "aaaa", ProtocolVersion: 2, PluginName: "sts", PluginVersion: "v1.4.0", PID: 42, Roles: []string{"x"}},
		{Name: "gone", Path: "/bin/brs-plugin-gone", ProtocolVersion: 1},
		{Name: "inproc", ProtocolVersion: 1},
	}
	sum := func(path string) (string, error) {
		if strings.HasSuffix(path, "gone") {
			return "", errors.New("no such file")
		}
		return "bbbb", nil
	}
	ps := describePlugins(infos, sum)
	if ps[0].Pinned != pinMismatch || ps[0].SHA256 != "bbbb" || ps[1].Error != "no such file" || ps[2].Path != "in-process" || ps[2].SHA256 != "" {
		t.Errorf("%+v", ps)
	}
	if pluginsExit(ps) != exitError || pluginsExit(ps[2:]) != exitOK {
		t.Errorf("exit status: %d for all, %d for the in-process one", pluginsExit(ps), pluginsExit(ps[2:]))
	}
	var b bytes.Buffer
	if err := writePlugins(&b, ps); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"sts\n  path      /bin/brs-plugin-sts\n  plugin    sts v1.4.0\n  protocol  2\n",
		"  sha256    bbbb\n  pinned    MISMATCH: the plugin block requires aaaa;",
		"gone\n  path      /bin/brs-plugin-gone\n  protocol  1\n  sha256    cannot read the binary: no such file\n  roles     \n  pid       not running\n",
		"inproc\n  path      in-process\n",
	} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("no %q in:\n%s", w, b.String())
		}
	}
}
