package main

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/agent"
	"github.com/brs-go/brs/internal/credentialprocess"
	"github.com/brs-go/brs/internal/pluginrpc"
)

const fastClientPkg = "github.com/brs-go/brs/cmd/brs-credential-process"

// TestFastClientLinksLittle: brs-credential-process links the standard library,
// golang.org/x/sys and these few packages of brs, nothing else. Each package linked is
// initialised before main on every run, and its code is paged in: the AWS SDK, HCL,
// gRPC and protobuf, which brs links, cost a warm credential-process call most of its
// time (BENCHMARKS.md). A new import here must keep to the list, or say why.
func TestFastClientLinksLittle(t *testing.T) {
	allowed := map[string]bool{
		fastClientPkg: true,
		"github.com/brs-go/brs/internal/credentialprocess": true,
		"github.com/brs-go/brs/internal/agentproto":        true,
		"github.com/brs-go/brs/internal/safetext":          true,
		"github.com/brs-go/brs/internal/proc":              true,
		// Asks at the terminal what the agent's sources need (an MFA code): x/sys
		// and os/signal, whose signal thread starts only while a question is asked.
		"github.com/brs-go/brs/internal/ttyprompt": true,
		"github.com/brs-go/brs/shared":             true,
		"golang.org/x/sys/unix":                    true,
		"golang.org/x/sys/windows":                 true,
	}
	for _, goos := range []string{runtime.GOOS, "darwin", "windows"} {
		cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", fastClientPkg)
		cmd.Env = append(os.Environ(), "GOOS="+goos)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list (GOOS=%s): %v", goos, err)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 3 {
			t.Fatalf("go list (GOOS=%s) found only %q", goos, deps)
		}
		for _, d := range deps {
			if !allowed[d] && !strings.HasPrefix(d, "golang.org/x/sys/") {
				t.Errorf("GOOS=%s: brs-credential-process links %s", goos, d)
			}
		}
	}
}

// TestFastClientStatic: brs-credential-process links neither package net nor os/user,
// whose cgo parts make a Go binary dynamically linked wherever cgo is on (the
// default): loading libc at each start cost the client ~4 ms of ~14 on this VM
// (BENCHMARKS.md). The binary built here, with the default cgo setting, is static.
func TestFastClientStatic(t *testing.T) {
	for _, goos := range []string{runtime.GOOS, "darwin"} {
		cmd := exec.Command("go", "list", "-deps", fastClientPkg)
		cmd.Env = append(os.Environ(), "GOOS="+goos)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list (GOOS=%s): %v", goos, err)
		}
		for _, d := range strings.Fields(string(out)) {
			if d == "net" || d == "os/user" || d == "runtime/cgo" {
				t.Errorf("GOOS=%s: brs-credential-process links %s", goos, d)
			}
		}
	}
	if runtime.GOOS != "linux" {
		return
	}
	bin := filepath.Join(t.TempDir(), "brs-credential-process")
	build := exec.Command("go", "build", "-o", bin, fastClientPkg)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("brs-credential-process has a program interpreter (dynamically linked)")
		}
	}
}

// TestFastClientVersion: the small client sends the agent the version string brs
// sends (an agent answers a client of another version with CodeVersion, and brs
// then replaces it: the two must never disagree, or each would replace the other's).
func TestFastClientVersion(t *testing.T) {
	if credentialprocess.RefresherProtocol != pluginrpc.ProtocolVersion {
		t.Errorf("credentialprocess.RefresherProtocol = %d, pluginrpc.ProtocolVersion = %d", credentialprocess.RefresherProtocol, pluginrpc.ProtocolVersion)
	}
	if got, want := credentialprocess.Version(version), versionString(); got != want {
		t.Errorf("credentialprocess.Version = %q, brs's = %q", got, want)
	}
}

// TestFastClientRequest: for the arguments and environments of a credential_process
// line, the small client asks the agent exactly what brs asks it (the same config
// file, plugin directories, environment, role and version: the same host, the same
// credentials), and leaves to brs every call that brs runs in-process.
func TestFastClientRequest(t *testing.T) {
	dir := t.TempDir()
	cfg := writeHCL(t, dir, "brs.hcl", oneRole("r"))
	writeHCL(t, dir, "xdg/brs/brs.hcl", oneRole("r"))
	home := filepath.Join(dir, "home")
	writeHCL(t, home, ".config/brs/brs.hcl", oneRole("r"))
	t.Chdir(dir)
	base := []string{"PATH=/usr/bin", "HOME=" + home, "AWS_PROFILE=p", "AWS_DATA_PATH=/x", "AWS_CLI_X=1", "BRS_AGENT_SOCKET=/s/agent.sock"}
	for _, tc := range []struct {
		name string
		args []string
		env  []string
		// agent: brs asks the agent (and so must the client); otherwise both leave it.
		agent bool
	}{
		{"-c before", []string{"-c", cfg, "credential-process", "r"}, nil, true},
		{"-c after", []string{"credential-process", "-c", cfg, "r"}, nil, true},
		{"relative -c", []string{"-c", "brs.hcl", "credential-process", "r"}, nil, true},
		{"plugin dirs", []string{"--plugin-dir", "plugins", "-plugin-dir=/abs", "credential-process", "--plugin-dir", "p2", "-c", cfg, "r"}, nil, true},
		{"BRS_CONFIG", []string{"credential-process", "r"}, []string{"BRS_CONFIG=" + cfg}, true},
		{"XDG_CONFIG_HOME", []string{"credential-process", "r"}, []string{"XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg")}, true},
		{"HOME", []string{"credential-process", "r"}, nil, true},
		{"relative XDG_CONFIG_HOME", []string{"credential-process", "r"}, []string{"XDG_CONFIG_HOME=xdg"}, true},
		{"log-level error", []string{"--log-level", "ERROR", "-c", cfg, "credential-process", "r"}, nil, true},
		{"NO_COLOR", []string{"-c", cfg, "credential-process", "r"}, []string{"NO_COLOR=1"}, true},
		{"BRS_AGENT=on", []string{"-c", cfg, "credential-process", "r"}, []string{"BRS_AGENT=on"}, true},
		{"--no-agent", []string{"--no-agent", "-c", cfg, "credential-process", "r"}, nil, false},
		{"BRS_AGENT=off", []string{"-c", cfg, "credential-process", "r"}, []string{"BRS_AGENT=OFF"}, false},
		{"BRS_AGENT=0", []string{"-c", cfg, "credential-process", "r"}, []string{"BRS_AGENT=0"}, false},
		{"reattach", []string{"-c", cfg, "credential-process", "r"}, []string{"BRS_REATTACH_PLUGINS={}"}, false},
		{"under a plugin", []string{"-c", cfg, "credential-process", "r"}, []string{"BRS_PLUGIN_HOST_PIPE=stdin"}, false},
		{"nested", []string{"-c", cfg, "credential-process", "r"}, []string{`BRS_CREDENTIAL_PROCESS_CHAIN=["x@/y"]`}, false},
		{"missing -c", []string{"-c", filepath.Join(dir, "none.hcl"), "credential-process", "r"}, nil, false},
		{"-c a directory", []string{"-c", dir, "credential-process", "r"}, nil, false},
		{"missing BRS_CONFIG", []string{"credential-process", "r"}, []string{"BRS_CONFIG=" + filepath.Join(dir, "none.hcl")}, false},
		{"no config", []string{"credential-process", "r"}, []string{"HOME=" + dir}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			environ := append(append([]string(nil), base...), tc.env...)
			lookup := func(name string) (string, bool) {
				v, ok := "", false
				for _, kv := range environ {
					if k, val, _ := strings.Cut(kv, "="); k == name {
						v, ok = val, true
					}
				}
				return v, ok
			}
			want, wantOK := brsAgentRequest(t, tc.args, lookup, environ)
			if wantOK != tc.agent {
				t.Fatalf("brs asks the agent: %v, the test expects %v", wantOK, tc.agent)
			}
			got, role, ok := credentialprocess.Request(tc.args, credentialprocess.Env{
				LookupEnv: lookup, Environ: func() []string { return environ }, Version: credentialprocess.Version(version),
			})
			if ok != wantOK {
				t.Fatalf("the client asks the agent: %v, brs: %v", ok, wantOK)
			}
			if !ok {
				return
			}
			if role != "r" || !reflect.DeepEqual(got, want) {
				t.Errorf("role %q, request\n%+v\nbrs's\n%+v", role, got, want)
			}
		})
	}
	// Arguments brs does not run as credential-process of one role: left to brs.
	for _, args := range [][]string{
		nil, {"credential-process"}, {"credential-process", "a", "b"}, {"-h", "credential-process", "r"},
		{"credential-process", "--help"}, {"--version"}, {"whoami", "r"}, {"--bogus", "credential-process", "r"},
		{"--log-level", "debug", "-c", cfg, "credential-process", "r"}, {"--log-level", "nonsense", "-c", cfg, "credential-process", "r"},
	} {
		if _, _, ok := credentialprocess.Request(args, credentialprocess.Env{LookupEnv: os.LookupEnv, Environ: os.Environ}); ok {
			t.Errorf("%q: the client would answer it", args)
		}
	}
}

// brsAgentRequest is the request brs's credential-process sends the agent for args,
// or false if it runs in-process.
func brsAgentRequest(t *testing.T, args []string, lookup func(string) (string, bool), environ []string) (agent.Request, bool) {
	t.Helper()
	var out, errb bytes.Buffer
	c := newCLI(&out, &errb, lookup)
	c.environ = func() []string { return environ }
	fs := c.flagSet("brs")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 || fs.Arg(0) != "credential-process" {
		t.Fatalf("brs %q: %v", args, err)
	}
	fs2 := c.flagSet("brs credential-process")
	if err := fs2.Parse(fs.Args()[1:]); err != nil || fs2.NArg() != 1 {
		t.Fatalf("brs %q: %v", args, err)
	}
	if c.agentOff() {
		return agent.Request{}, false
	}
	if _, ok := c.lookupEnv("BRS_PLUGIN_HOST_PIPE"); ok { // runCredentialProcess: fo.noAgent
		return agent.Request{}, false
	}
	if _, ok := c.lookupEnv(envCredentialChain); ok { // fromAgent
		return agent.Request{}, false
	}
	req, ok := c.agentRequest(agent.OpCredentials)
	req.Role = fs2.Arg(0)
	return req, ok
}
