package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/shared"
)

func TestValidateOK(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", testRoles)
	r := runBRS(t, "-c", path, "validate")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if want := "ok: 2 roles (a, b) in " + path + "\n"; r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	if r.stderr != "" {
		t.Errorf("stderr is not empty:\n%s", r.stderr)
	}
}

// TestValidateErrors checks that errors found by the host's parser and by a plugin's
// Validate are printed with their source lines and as FILE:LINE:COLUMN lines.
func TestValidateErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		// want are lines that stderr must hold, with FILE for the config's path.
		want []string
	}{
		{"host", `plugin "test" {
  command = "{{test}}"
}

role "a" {
  source = "test"
  regoin = "us-east-1"
}
`, []string{"Error: Unsupported argument", "  on FILE line 7, in role \"a\":", `   7:   regoin = "us-east-1"`, "FILE:7:3: error: Unsupported argument"}},
		{"plugin", `plugin "test" {
  command = "{{test}}"
}

role "a" {
  source = "test"
  config {
    lifetime = "soon"
  }
}
`, []string{"Error: Invalid lifetime", "  on FILE line 8, in role \"a\":", "FILE:8:16: error: Invalid lifetime"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeHCL(t, t.TempDir(), "brs.hcl", tc.src)
			r := runBRS(t, "-c", path, "validate")
			if r.code != exitError {
				t.Errorf("exit %d, want %d", r.code, exitError)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
			lines := strings.Split(r.stderr, "\n")
			for _, w := range tc.want {
				if w = strings.ReplaceAll(w, "FILE", path); !slices.Contains(lines, w) {
					t.Errorf("stderr has no line %q:\n%s", w, r.stderr)
				}
			}
		})
	}
}

// TestValidateWarning loads a role of the example file plugin with a relative path,
// which the plugin warns about: the warning is printed and validate succeeds.
func TestValidateWarning(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", `plugin "file" {
  command = "{{file}}"
}

role "sidecar" {
  source = "file"
  config {
    path = "credentials.json"
  }
}
`)
	r := runBRS(t, "-c", path, "validate")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if want := "ok: 1 role (sidecar) in " + path + "\n"; r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
	lines := strings.Split(r.stderr, "\n")
	for _, w := range []string{"Warning: Relative path", `   8:     path = "credentials.json"`, path + ":8:12: warning: Relative path"} {
		if !slices.Contains(lines, w) {
			t.Errorf("stderr has no line %q:\n%s", w, r.stderr)
		}
	}
}

func TestMissingConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("BRS_CONFIG", "")
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	for _, cmd := range [][]string{{"validate"}, {"credential-process", "analytics"}} {
		r := runBRS(t, cmd...)
		if r.code != exitUsage {
			t.Errorf("%s: exit %d, want %d", cmd[0], r.code, exitUsage)
		}
		if r.stdout != "" {
			t.Errorf("%s: stdout %q, want nothing", cmd[0], r.stdout)
		}
		for _, w := range []string{"no config file found", "-c FILE", "$BRS_CONFIG", "$XDG_CONFIG_HOME/brs/brs.hcl",
			filepath.Join(xdg, "brs", "brs.hcl") + ": not found"} {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr does not mention %q:\n%s", cmd[0], w, r.stderr)
			}
		}
	}
}

// TestMissingConfigNoHome runs brs with an environment that holds nothing, injected.
func TestMissingConfigNoHome(t *testing.T) {
	t.Chdir(t.TempDir())
	var stdout, stderr syncBuffer
	noEnv := func(string) (string, bool) { return "", false }
	code := newCLI(&stdout, &stderr, noEnv).run(context.Background(), []string{"validate"})
	if code != exitUsage || !strings.Contains(stderr.String(), "neither $XDG_CONFIG_HOME nor $HOME is set") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
}

func TestExplicitConfigMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.hcl")
	r := runBRS(t, "-c", missing, "validate")
	if r.code != exitUsage || !strings.Contains(r.stderr, missing+" (from -c) does not exist") {
		t.Errorf("-c: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	t.Setenv("BRS_CONFIG", missing)
	r = runBRS(t, "validate")
	if r.code != exitUsage || !strings.Contains(r.stderr, missing+" (from $BRS_CONFIG) does not exist") {
		t.Errorf("$BRS_CONFIG: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	r = runBRS(t, "-c", t.TempDir(), "validate")
	if r.code != exitUsage || !strings.Contains(r.stderr, "is a directory") {
		t.Errorf("-c DIR: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestConfigLookupOrder checks -c, then $BRS_CONFIG, then
// $XDG_CONFIG_HOME/brs/brs.hcl, then ~/.config/brs/brs.hcl, by which role validate
// finds; ./brs.hcl is never read.
func TestConfigLookupOrder(t *testing.T) {
	dir := t.TempDir()
	flagFile := writeHCL(t, dir, "flag/brs.hcl", oneRole("from-flag"))
	envFile := writeHCL(t, dir, "env/brs.hcl", oneRole("from-env"))
	cwdFile := writeHCL(t, dir, "cwd/brs.hcl", oneRole("from-cwd"))
	xdgFile := writeHCL(t, dir, "xdg/brs/brs.hcl", oneRole("from-xdg"))
	homeFile := writeHCL(t, dir, "home/.config/brs/brs.hcl", oneRole("from-home"))
	t.Chdir(filepath.Dir(cwdFile))
	t.Setenv("BRS_CONFIG", envFile)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg"))
	t.Setenv("HOME", filepath.Join(dir, "home"))

	remove := func(p string) func() {
		return func() {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, step := range []struct {
		name   string
		before func()
		args   []string
		want   string // the file validate reads
	}{
		{"-c beats everything", func() {}, []string{"-c", flagFile}, flagFile},
		{"$BRS_CONFIG beats ./brs.hcl", func() {}, nil, envFile},
		{"$XDG_CONFIG_HOME, not ./brs.hcl", func() { t.Setenv("BRS_CONFIG", "") }, nil, xdgFile},
		{"~/.config without $XDG_CONFIG_HOME", func() { t.Setenv("XDG_CONFIG_HOME", "") }, nil, homeFile},
		{"a relative $XDG_CONFIG_HOME is ignored", func() { t.Setenv("XDG_CONFIG_HOME", "xdg") }, nil, homeFile},
	} {
		step.before()
		r := runBRS(t, append(step.args, "validate")...)
		want := fmt.Sprintf("ok: 1 role (%s) in %s\n", roleIn(step.want), step.want)
		if r.code != exitOK || r.stdout != want {
			t.Errorf("%s: exit %d, stdout %q, want %q; stderr:\n%s", step.name, r.code, r.stdout, want, r.stderr)
		}
	}
	remove(homeFile)()
	if r := runBRS(t, "validate"); r.code != exitUsage || !strings.Contains(r.stderr, "./brs.hcl is not read from the working directory") {
		t.Errorf("with only ./brs.hcl left: exit %d, want %d; stderr:\n%s", r.code, exitUsage, r.stderr)
	}
}

// roleIn names the role that TestConfigLookupOrder wrote into path.
func roleIn(path string) string {
	switch {
	case path == "brs.hcl":
		return "from-cwd"
	case strings.Contains(path, "/flag/"):
		return "from-flag"
	case strings.Contains(path, "/env/"):
		return "from-env"
	case strings.Contains(path, "/xdg/"):
		return "from-xdg"
	}
	return "from-home"
}

func TestCredentialProcess(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", testRoles)
	start := time.Now()
	// Global flags may also follow the command.
	r := runBRS(t, "credential-process", "-c", path, "b")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("stderr is not empty:\n%s", r.stderr)
	}
	if strings.Count(r.stdout, "\n") != 1 || !strings.HasSuffix(r.stdout, "}\n") {
		t.Errorf("stdout is not one line of JSON: %q", r.stdout)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	keys := slices.Sorted(maps.Keys(doc))
	if want := []string{"AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken", "Version"}; !slices.Equal(keys, want) {
		t.Errorf("keys %q, want %q", keys, want)
	}
	if doc["Version"] != float64(1) {
		t.Errorf("Version %v, want 1", doc["Version"])
	}
	akid, _ := doc["AccessKeyId"].(string)
	if !strings.HasPrefix(akid, "TESTPID") || !strings.HasSuffix(doc["SecretAccessKey"].(string), "-b") ||
		!strings.HasPrefix(doc["SessionToken"].(string), "test-session-token-") {
		t.Errorf("not the test plugin's credentials for role b: %v", doc)
	}
	expStr, _ := doc["Expiration"].(string)
	exp, err := time.Parse(time.RFC3339, expStr)
	if err != nil || !strings.HasSuffix(expStr, "Z") {
		t.Fatalf("Expiration %q is not RFC 3339 in UTC: %v", expStr, err)
	}
	// Role b's credentials live 30 minutes: the real expiry, not the host's earlier one.
	if want := start.Add(30 * time.Minute); exp.Before(want.Add(-2*time.Second)) || exp.After(want.Add(time.Minute)) {
		t.Errorf("Expiration %v, want about %v", exp, want.UTC())
	}

	// The host is closed before run returns: the plugin process is gone.
	var pid, n int
	if _, err := fmt.Sscanf(akid, "TESTPID%dN%d", &pid, &n); err != nil {
		t.Fatalf("access key id %q: %v", akid, err)
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); !os.IsNotExist(err) {
		t.Errorf("plugin process %d still exists after brs returned", pid)
	}
}

// TestCredentialProcessJSON checks the document of credentials that never expire and
// have no session token.
func TestCredentialProcessJSON(t *testing.T) {
	out, err := credentialProcessJSON(shared.Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "s3cr3t"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Version":1,"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"s3cr3t"}` + "\n"; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	exp := time.Date(2026, 1, 2, 16, 4, 5, 0, time.FixedZone("CET", 3600))
	out, err = credentialProcessJSON(shared.Credentials{AccessKeyID: "A", SecretAccessKey: "S", SessionToken: "T", Expires: exp})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T","Expiration":"2026-01-02T15:04:05Z"}` + "\n"; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
}

func TestCredentialProcessUnknownRole(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", testRoles)
	r := runBRS(t, "-c", path, "credential-process", "nope")
	if r.code != exitError {
		t.Errorf("exit %d, want %d", r.code, exitError)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
	if want := `brs: no role "nope" in ` + path + " (roles: a, b)\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
}

func TestCredentialProcessFailure(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", `plugin "test" {
  command = "{{test}}"
}

role "denied" {
  source = "test"
  config {
    fail = "AccessDenied"
  }
}
`)
	r := runBRS(t, "-c", path, "credential-process", "denied")
	if r.code != exitError || r.stdout != "" {
		t.Errorf("exit %d, stdout %q; want %d and nothing", r.code, r.stdout, exitError)
	}
	// The host also logs the failure, at warn level.
	if !strings.Contains("\n"+r.stderr, "\nbrs: role \"denied\" (source \"test\"): no valid credentials: AccessDenied: configured to fail") {
		t.Errorf("stderr does not explain the failure:\n%s", r.stderr)
	}

	// An invalid file: diagnostics on stderr, nothing on stdout.
	path = writeHCL(t, t.TempDir(), "brs.hcl", `role "x" {}`)
	r = runBRS(t, "-c", path, "credential-process", "x")
	if r.code != exitError || r.stdout != "" || !strings.Contains(r.stderr, path+":1:") {
		t.Errorf("invalid file: exit %d, stdout %q, stderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestLogsHoldNoSecrets logs everything while the plugin logs its secrets: the secrets
// reach stdout, in the JSON, and nowhere in the logs.
func TestLogsHoldNoSecrets(t *testing.T) {
	path := writeHCL(t, t.TempDir(), "brs.hcl", `plugin "test" {
  command = "{{test}}"
}

role "leaky" {
  source = "test"
  config {
    log_secrets = true
    password    = "hunter2-sensitive"
  }
}
`)
	r := runBRS(t, "--log-level", "trace", "-c", path, "credential-process", "leaky")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	var doc processCredentials
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.stderr, "[INFO]  brs: refreshed: role=leaky") || !strings.Contains(r.stderr, "[TRACE]") {
		t.Errorf("no trace logs on stderr:\n%s", r.stderr)
	}
	for _, s := range []string{doc.SecretAccessKey, doc.SessionToken, "hunter2-sensitive"} {
		if s == "" || strings.Contains(r.stderr, s) {
			t.Errorf("stderr holds secret %q:\n%s", s, r.stderr)
		}
	}

	r = runBRS(t, "--log-level", "off", "-c", path, "credential-process", "leaky")
	if r.code != exitOK || r.stderr != "" {
		t.Errorf("--log-level off: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestPluginDir(t *testing.T) {
	t.Setenv("BRS_PLUGIN_DIR", "")
	dir := t.TempDir()
	if err := os.Symlink(plugintestbin.Build(t, testPluginPkg), filepath.Join(dir, "brs-plugin-test")); err != nil {
		t.Fatal(err)
	}
	path := writeHCL(t, t.TempDir(), "brs.hcl", "role \"found\" {\n  source = \"test\"\n}\n")
	if r := runBRS(t, "--plugin-dir", t.TempDir(), "--plugin-dir", dir, "-c", path, "validate"); r.code != exitOK {
		t.Errorf("with --plugin-dir: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	r := runBRS(t, "-c", path, "validate")
	if r.code != exitError || !strings.Contains(r.stderr, "Unknown credential source") {
		t.Errorf("without --plugin-dir: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, "brs: unknown command \"frobnicate\"\n\nUsage: brs [global flags] COMMAND [args]\nCommands: import, validate, credential-process, exec, serve, env, console, status, whoami, refresh, agent, plugins, keys, completion, plugin, help\n"},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{nil, "Commands:\n  import "},
		{[]string{"--nope"}, "flag provided but not defined: -nope"},
		{[]string{"credential-process"}, "brs: credential-process needs ROLE\n\nUsage: brs [global flags] credential-process ROLE\n"},
		{[]string{"credential-process", "a", "b"}, `unexpected argument "b"`},
		{[]string{"validate", "extra"}, `unexpected argument "extra"`},
		{[]string{"validate", "--json"}, "flag provided but not defined: -json"},
		{[]string{"--log-level", "loud", "validate"}, `invalid --log-level "loud": use one of off, error, warn, info, debug, trace`},
		{[]string{"--plugin-dir", "", "validate"}, "must not be empty"},
	} {
		r := runBRS(t, tc.args...)
		if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("brs %q: exit %d, stdout %q, stderr:\n%s\nwant exit %d and %q", tc.args, r.code, r.stdout, r.stderr, exitUsage, tc.want)
		}
	}
}

// TestHelp compares the overview with testdata/help.golden; go test -run TestHelp
// -update rewrites it.
func TestHelp(t *testing.T) {
	golden := filepath.Join("testdata", "help.golden")
	r := runBRS(t, "--help")
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if *update {
		if err := os.WriteFile(golden, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestHelp -update to create it)", err)
	}
	if r.stdout != string(want) {
		t.Errorf("brs --help differs from %s (run go test -run TestHelp -update if the change is intended):\n%s", golden, r.stdout)
	}
	for _, args := range [][]string{{"-h"}, {"help"}, {"-c", "x.hcl", "--help"}} {
		if r := runBRS(t, args...); r.code != exitOK || r.stdout != string(want) {
			t.Errorf("brs %q: exit %d, output differs from brs --help:\n%s", args, r.code, r.stdout)
		}
	}
	for _, cmd := range commandList() {
		if !strings.Contains(r.stdout, "\n  "+synopsis(cmd)+" ") {
			t.Errorf("the help does not list %q", synopsis(cmd))
		}
	}
	for line := range strings.SplitSeq(r.stdout, "\n") {
		if len([]rune(line)) > 80 && !strings.Contains(line, "credential_process =") {
			t.Errorf("help line longer than 80 columns: %q", line)
		}
	}
}

func TestCommandHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "credential-process"}, {"credential-process", "-h"}, {"credential-process", "--help"}} {
		r := runBRS(t, args...)
		if r.code != exitOK || r.stderr != "" {
			t.Errorf("brs %q: exit %d, stderr:\n%s", args, r.code, r.stderr)
		}
		for _, w := range []string{"Usage: brs [global flags] credential-process ROLE\n", "credential_process = ", `"Expiration"`} {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("brs %q: no %q in:\n%s", args, w, r.stdout)
			}
		}
	}
	for _, cmd := range commandList() {
		var b bytes.Buffer
		writeCommandHelp(&b, cmd)
		if !strings.HasPrefix(b.String(), "Usage: "+cmd.usage()+"\n\n") || len(cmd.help) < 40 {
			t.Errorf("help of %s:\n%s", cmd.name, b.String())
		}
	}
}

// TestCommandFlags runs a command with a flag of its own, as later commands (status
// --json) will have: the flag is parsed per run, mixes with the global flags and is
// listed in the command's help.
func TestCommandFlags(t *testing.T) {
	var got []string
	cmd := &command{name: "probe", args: "ARG", summary: "s", help: "Probes.", minArgs: 1, maxArgs: 1,
		setup: func(fs *flag.FlagSet) runFunc {
			asJSON := fs.Bool("json", false, "print JSON")
			return func(_ context.Context, c *cli, args []string) int {
				got = append(got, fmt.Sprintf("%s json=%v c=%s", args[0], *asJSON, c.configFile))
				return exitOK
			}
		}}
	for _, args := range [][]string{{"--json", "-c", "f.hcl", "x"}, {"y"}} {
		var stdout, stderr syncBuffer
		if code := newCLI(&stdout, &stderr, os.LookupEnv).runCommand(context.Background(), cmd, args); code != exitOK {
			t.Errorf("probe %q: exit %d, stderr:\n%s", args, code, stderr.String())
		}
	}
	if want := []string{"x json=true c=f.hcl", "y json=false c="}; !slices.Equal(got, want) {
		t.Errorf("runs saw %q, want %q", got, want)
	}
	var b bytes.Buffer
	writeCommandHelp(&b, cmd)
	if !strings.Contains(b.String(), "\nFlags:\n  --json               print JSON\n") || strings.Contains(b.String(), "plugin-dir") {
		t.Errorf("help of a command with flags:\n%s", b.String())
	}
}

func TestVersion(t *testing.T) {
	r := runBRS(t, "--version")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "brs ") || !strings.Contains(r.stdout, "refresher protocol 2") {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
}
