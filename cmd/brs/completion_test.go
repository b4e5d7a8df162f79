package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/plugintestbin"
)

const completionHCL = `
role "analytics" {
  source = "sts"
  config { role_arn = "arn:aws:iam::111122223333:role/analytics" }
}
role "base" {
  source = "sts"
  config { role_arn = "arn:aws:iam::111122223333:role/base" }
}
`

// TestComplete checks the candidates `brs __complete` gives for each position: commands,
// role names from the config file in use, flags of the command, flag values.
func TestComplete(t *testing.T) {
	dir := t.TempDir()
	cfg := writeHCL(t, dir, "brs.hcl", completionHCL)
	t.Setenv("BRS_CONFIG", cfg)
	other := writeHCL(t, dir, "other.hcl", `role "other" {
  source = "sts"
  config { role_arn = "arn:aws:iam::111122223333:role/other" }
}`)

	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{""}, []string{"import", "validate", "credential-process", "exec", "serve", "env", "console", "status", "whoami", "agent", "plugins", "completion", "help"}},
		{[]string{"cr"}, []string{"credential-process"}},
		{[]string{"credential-process", ""}, []string{"analytics", "base"}},
		{[]string{"exec", "a"}, []string{"analytics"}},
		{[]string{"exec", "analytics", "--", ""}, nil},
		{[]string{"credential-process", "analytics", ""}, nil},
		{[]string{"-c", other, "env", ""}, []string{"other"}},
		{[]string{"env", "-c", other, ""}, []string{"other"}},
		{[]string{"--log-level", "d"}, []string{"debug"}},
		{[]string{"status", "--j"}, []string{"--json"}},
		{[]string{"status", "--"}, []string{"--help", "--json", "--log-level", "--no-fetch", "--plugin-dir"}},
		{[]string{"-c", filepath.Join(dir, "oth")}, []string{other}},
		{[]string{"help", "wh"}, []string{"whoami"}},
		{[]string{"completion", ""}, []string{"bash", "fish", "zsh"}},
		{[]string{"env", "--format", ""}, []string{"fish", "powershell", "sh"}},
		{[]string{"env", "--format", "p"}, []string{"powershell"}},
		{[]string{"import", filepath.Join(dir, "oth")}, []string{other}},
		{[]string{"import", "-o", filepath.Join(dir, "oth")}, []string{other}},
		{[]string{"agent", "s"}, []string{"status", "stop"}},
		{[]string{"nosuch", ""}, nil},
	} {
		got := strings.Fields(runBRS(t, append([]string{completeCommand}, tc.words...)...).stdout)
		if !slices.Equal(got, tc.want) {
			t.Errorf("brs __complete %q = %q, want %q", tc.words, got, tc.want)
		}
	}
}

// TestCompleteNoConfig: without a config file, role positions get nothing, and nothing
// is printed on stderr (a shell would show it under the prompt).
func TestCompleteNoConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("BRS_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	r := runBRS(t, completeCommand, "env", "")
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Fatalf("got %+v, want exit 0 and no output", r)
	}
	if r := runBRS(t, "completion", "tcsh"); r.code != exitUsage || !strings.Contains(r.stderr, "bash, fish and zsh") {
		t.Fatalf("brs completion tcsh: %+v", r)
	}
}

// TestCompletionScripts loads each script into the real shell and completes role names
// and commands through the real brs binary, as a user's shell would.
func TestCompletionScripts(t *testing.T) {
	bin := t.TempDir()
	copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs"), bin, "brs")
	dir := t.TempDir()
	cfg := writeHCL(t, dir, "brs.hcl", completionHCL)

	shells := map[string]string{
		// bash: the function the script registers, called as readline would.
		"bash": `eval "$(brs completion bash)"
COMP_WORDS=(brs credential-process an); COMP_CWORD=2; _brs_complete; printf '%s\n' "${COMPREPLY[@]}"
COMP_WORDS=(brs whoa); COMP_CWORD=1; _brs_complete; printf '%s\n' "${COMPREPLY[@]}"`,
		// fish: complete -C runs the registered completion on a command line.
		"fish": `brs completion fish | source
complete -C 'brs credential-process an'
complete -C 'brs whoa'`,
	}
	if _, err := exec.LookPath("zsh"); err == nil || os.Getenv("CI") != "" {
		// zsh: the script's function with the words array zsh's completion would set,
		// compadd replaced by a printer (completion widgets only run inside zle).
		shells["zsh"] = `compdef() { :; }; compadd() { shift $(( ${@[(i)--]} )); print -l -- "$@"; }; _files() { :; }
source <(brs completion zsh)
words=(brs credential-process an); CURRENT=3; _brs
words=(brs whoa); CURRENT=2; _brs`
	}
	for shell, script := range shells {
		t.Run(shell, func(t *testing.T) {
			cmd := exec.Command(shell, "-c", script)
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "BRS_CONFIG="+cfg)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", shell, err, out)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				got = append(got, strings.Fields(l)[0]) // fish prints a description after a tab
			}
			if want := []string{"analytics", "whoami"}; !slices.Equal(got, want) {
				t.Fatalf("%s completed %q, want %q", shell, got, want)
			}
		})
	}
}
