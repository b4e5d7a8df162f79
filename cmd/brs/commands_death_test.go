//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brs-go/brs/internal/testutil/proctest"
)

// TestCommandsDieWithBrs: the real brs exec and brs serve run a process role whose
// command leaves a child running and waits for it. While it runs, the command's own
// environment, which a process of the same user can read in /proc/PID/environ (sh is
// dumpable), holds the value its role declared in env and neither brs's base
// credentials nor a variable nobody listed. Then brs is SIGKILLed: the plugin, the
// command and the command's child are all gone soon after, none reparented to init.
func TestCommandsDieWithBrs(t *testing.T) {
	plugins := builtinPlugins(t, "process")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIABASEKEY0000000000")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "base-secret-in-brs-environ")
	t.Setenv("BRS_TEST_UNLISTED", "unlisted-value")
	for _, args := range [][]string{{"exec", "p", "--", "true"}, {"serve", "p"}} {
		t.Run(args[0], func(t *testing.T) {
			dir := t.TempDir()
			fifo := filepath.Join(dir, "started")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			command := fmt.Sprintf("echo $$ > %[1]s/sh.pid; sleep 600 & echo $! > %[1]s/child.pid; echo started > %[2]s; wait", dir, fifo)
			cfg := writeHCL(t, dir, "brs.hcl", fmt.Sprintf(`role "p" {
  source = "process"
  config {
    command = %q
    env = {
      VAULT_TOKEN = "declared-vault-token"
    }
  }
}
`, command))
			brs, _, stderr := startBRS(t, append([]string{"--plugin-dir", plugins, "-c", cfg}, args...)...)
			started := make(chan error, 1)
			go func() { _, err := os.ReadFile(fifo); started <- err }()
			select {
			case err := <-started:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(2 * time.Minute):
				t.Fatalf("the command did not start; brs's stderr:\n%s", stderr.String())
			}
			sh, child := proctest.ReadPID(t, filepath.Join(dir, "sh.pid")), proctest.ReadPID(t, filepath.Join(dir, "child.pid"))

			environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", sh))
			if err != nil {
				t.Fatalf("a process of the same user cannot read the command's environ (%v): the check proves nothing", err)
			}
			env := strings.Split(string(environ), "\x00")
			if !slices.Contains(env, "VAULT_TOKEN=declared-vault-token") {
				t.Errorf("the command's environ lacks the VAULT_TOKEN its role declared: %q", env)
			}
			for _, leaked := range []string{"base-secret-in-brs-environ", "AKIABASEKEY", "unlisted-value", "BRS_PLUGIN_MAGIC_COOKIE"} {
				if strings.Contains(string(environ), leaked) {
					t.Errorf("the command's environ, readable by the same user, holds %q", leaked)
				}
			}

			procs := childrenOf(t, brs.Process.Pid)
			if len(procs) != 1 {
				t.Fatalf("brs has children %v, want the plugin alone", procs)
			}
			if err := brs.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			for name, pid := range map[string]int{"the plugin": procs[0], "the command": sh, "the command's child": child} {
				t.Run(name, func(t *testing.T) { proctest.WaitGone(t, pid) })
			}
		})
	}
}
