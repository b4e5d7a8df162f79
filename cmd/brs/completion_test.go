package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brs-go/brs/internal/testutil/needtool"
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
		{[]string{""}, []string{"import", "validate", "credential-process", "exec", "serve", "env", "console", "status", "whoami", "refresh", "agent", "plugins", "keys", "completion", "plugin", "help"}},
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
	// zsh: the script's function with the words array zsh's completion would set,
	// compadd replaced by a printer (completion widgets only run inside zle).
	shells["zsh"] = `compdef() { :; }; compadd() { shift $(( ${@[(i)--]} )); print -l -- "$@"; }; _files() { :; }
source <(brs completion zsh)
words=(brs credential-process an); CURRENT=3; _brs
words=(brs whoa); CURRENT=2; _brs`
	for shell, script := range shells {
		t.Run(shell, func(t *testing.T) {
			cmd := exec.Command(needtool.Path(t, shell, installShell[shell]), "-c", script)
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

// installShell says how to install each shell the completion tests run.
var installShell = map[string]string{"bash": "apt-get install bash", "zsh": needtool.Zsh, "fish": needtool.Fish}

// hostileHCL names roles that validation rejects, each an attack on a shell that
// inserts completions as they are: a command substitution, a glob, a newline that
// would split one candidate in two, and an ESC sequence.
const hostileHCL = `
role "ok" {
  source = "sts"
  config { role_arn = "arn:aws:iam::111122223333:role/ok" }
}
role "x$(touch PWNED)" {
  source = "sts"
}
role "*" {
  source = "sts"
}
role "two\nlines" {
  source = "sts"
}
role "esc\u001b]0;t\u0007" {
  source = "sts"
}
`

// TestCompletionHostileNames completes role names and file names from a hostile config
// file and directory in the real shells: only the valid role name is offered, and a
// file name is inserted quoted, so that the shell reads it back as that one name and
// runs nothing (no PWNED file appears) and expands nothing.
func TestCompletionHostileNames(t *testing.T) {
	bin := t.TempDir()
	copyExecutable(t, plugintestbin.Build(t, "github.com/brs-go/brs/cmd/brs"), bin, "brs")
	dir := t.TempDir()
	cfg := writeHCL(t, dir, "brs.hcl", hostileHCL)
	hostile := "f $(touch PWNED) *"
	writeHCL(t, dir, hostile, "")
	writeHCL(t, dir, "line\nbreak", "")

	// brs __complete itself: only the valid role; no file name with a control character.
	t.Setenv("BRS_CONFIG", cfg)
	if got := runBRS(t, completeCommand, "exec", "").stdout; got != "ok\n" {
		t.Errorf("brs __complete exec '' = %q, want only ok", got)
	}
	if got := runBRS(t, completeCommand, "import", dir+"/").stdout; strings.Contains(got, "line") || !strings.Contains(got, hostile) {
		t.Errorf("brs __complete import %s = %q", dir, got)
	}

	shells := map[string]string{
		// bash: each candidate is one word of COMPREPLY, which readline inserts as it is;
		// eval reads it back as the shell would after Enter.
		"bash": `eval "$(brs completion bash)"
COMP_WORDS=(brs exec ''); COMP_CWORD=2; _brs_complete; printf 'role<%s>\n' "${COMPREPLY[@]}"
COMP_WORDS=(brs import f); COMP_CWORD=2; _brs_complete; for c in "${COMPREPLY[@]}"; do eval "set -- $c"; printf 'file<%s>%d\n' "$1" $#; done`,
		// zsh: compadd quotes what it inserts unless given -Q; the printer shows the
		// options it got, then the words.
		"zsh": `compdef() { :; }; compadd() { print -r -- "opts<${(j: :)@[1,$(( ${@[(i)--]} - 1 ))]}>"; shift $(( ${@[(i)--]} )); printf 'role<%s>\n' "$@"; }; _files() { :; }
source <(brs completion zsh)
words=(brs exec ''); CURRENT=3; _brs`,
		// fish: complete -C lists what fish would insert (fish escapes on insertion).
		"fish": `brs completion fish | source
complete -C 'brs exec '`,
	}
	want := map[string][]string{
		"bash": {"role<ok>", "file<" + hostile + ">1"},
		"zsh":  {"opts<>", "role<ok>"},
		"fish": {"ok"},
	}
	for shell, script := range shells {
		t.Run(shell, func(t *testing.T) {
			cmd := exec.Command(needtool.Path(t, shell, installShell[shell]), "-c", script)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "BRS_CONFIG="+cfg)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", shell, err, out)
			}
			got := strings.Split(strings.TrimSpace(string(out)), "\n")
			if !slices.Equal(got, want[shell]) {
				t.Errorf("%s completed %q, want %q", shell, got, want[shell])
			}
			if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
				t.Errorf("%s ran the command substitution of a name", shell)
			}
		})
	}
}
