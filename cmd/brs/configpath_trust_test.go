//go:build unix

package main

import (
	"bytes"
	"github.com/brs-go/brs/internal/testutil/needtool"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
	"github.com/brs-go/brs/internal/testutil/proctest"
)

// localUser is a real local user a test runs processes as.
type localUser struct {
	name     string
	uid, gid int
}

// realUser returns the local user called name, creating it (no home, no login
// shell) when it does not exist. It needs root; CI runs as root.
func realUser(t *testing.T, name string) localUser {
	t.Helper()
	needtool.Root(t, "this test needs two real local users, which it creates")
	u, err := user.Lookup(name)
	if err != nil {
		out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name).CombinedOutput()
		if err != nil {
			t.Fatalf("creating user %s: %v\n%s", name, err, out)
		}
		if u, err = user.Lookup(name); err != nil {
			t.Fatal(err)
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return localUser{name: name, uid: uid, gid: gid}
}

// command returns cmd set to run as u in dir with env.
func (u localUser) command(dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(u.uid), Gid: uint32(u.gid), NoSetGroups: true}}
	return cmd
}

// TestOtherUsersConfigNeverLoaded is the attack of issue 14 §1 with two real users
// and the real brs binary. The attacker writes brs.hcl into a sticky, world-writable
// directory (a /tmp of the test's own), with a process role whose command would
// record that it ran. The victim, whose own config is in ~/.config/brs, runs
// "brs credential-process dev" from that directory, as the AWS CLI would after
// "cd /tmp": brs ignores the working directory and answers from the victim's own
// config; the command never runs. Named by -c or $BRS_CONFIG, the attacker's file is
// refused with one error that names it, its owner and mode, and the fix.
func TestOtherUsersConfigNeverLoaded(t *testing.T) {
	attacker := realUser(t, "brs-attacker")
	victim := realUser(t, "brs-victim")

	shared := proctest.SharedDir(t, false) // root's, 0755: both users may read it
	brs := proctest.CopyExecutable(t, plugintestbin.Build(t, brsPkg), shared, "brs")
	testplugin := proctest.CopyExecutable(t, plugintestbin.Build(t, testPluginPkg), shared, "testplugin")
	proctest.CopyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs-plugin-process"), shared, "brs-plugin-process")
	tmp := filepath.Join(shared, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tmp, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(tmp, "owned")

	// The attacker writes the file, as the attacker.
	evil := `role "dev" {
  source = "process"
  config {
    command = "id > ` + marker + `; echo '{\"Version\":1,\"AccessKeyId\":\"AKIAATTACKER\",\"SecretAccessKey\":\"x\",\"SessionToken\":\"y\"}'"
  }
}
`
	write := attacker.command(tmp, []string{"PATH=/usr/bin:/bin"}, "sh", "-c", "umask 022; cat > brs.hcl")
	write.Stdin = strings.NewReader(evil)
	if out, err := write.CombinedOutput(); err != nil {
		t.Fatalf("the attacker could not write brs.hcl: %v\n%s", err, out)
	}
	evilPath := filepath.Join(tmp, "brs.hcl")

	// The victim's own config, in a home only the victim can write.
	home := filepath.Join(shared, "home")
	cfgDir := filepath.Join(home, ".config", "brs")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	own := filepath.Join(cfgDir, "brs.hcl")
	if err := os.WriteFile(own, []byte(strings.ReplaceAll(oneRole("dev"), "{{test}}", testplugin)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{home, filepath.Join(home, ".config"), cfgDir, own} {
		if err := os.Chown(p, victim.uid, victim.gid); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"PATH=/usr/bin:/bin", "HOME=" + home, "BRS_AGENT=off", "AWS_ACCESS_KEY_ID=AKIAVICTIMBASE", "AWS_SECRET_ACCESS_KEY=victim-base-secret"}

	run := func(extraEnv []string, args ...string) (int, string, string) {
		t.Helper()
		cmd := victim.command(tmp, append(env[:len(env):len(env)], extraEnv...), brs, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, stdout.String(), stderr.String()
	}

	code, stdout, stderr := run(nil, "credential-process", "dev")
	if code != 0 || akidOf(stdout) == "" || akidOf(stdout) == "AKIAATTACKER" {
		t.Errorf("from the attacker's directory: exit %d, AccessKeyId %q, want the victim's own role's\nstderr:\n%s", code, akidOf(stdout), stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the attacker's command ran as the victim")
	}

	for _, how := range []struct {
		name string
		env  []string
		args []string
	}{
		{"-c", nil, []string{"-c", evilPath, "credential-process", "dev"}},
		{"$BRS_CONFIG", []string{"BRS_CONFIG=" + evilPath}, []string{"credential-process", "dev"}},
	} {
		code, stdout, stderr := run(how.env, how.args...)
		stderr = strings.Join(strings.Fields(stderr), " ") // undo the diagnostic's word wrap
		if code == 0 || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q; want a refusal", how.name, code, stdout)
		}
		for _, w := range []string{"Refusing config file " + evilPath + ": it (owner brs-attacker (" + strconv.Itoa(attacker.uid) + "), mode -rw-r--r--)",
			"not to you (brs-victim", "chown brs-victim " + evilPath} {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr does not say %q:\n%s", how.name, w, stderr)
			}
		}
		if n := strings.Count(stderr, "efusing config file"); n != 1 {
			t.Errorf("%s: the refusal is said %d times, want once:\n%s", how.name, n, stderr)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("%s: the attacker's command ran as the victim", how.name)
		}
	}
}
