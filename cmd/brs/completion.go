package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/brs-go/brs/host"
	"github.com/brs-go/brs/internal/config"
	"github.com/brs-go/brs/internal/safetext"
)

// completeCommand is the hidden command the completion scripts call: brs __complete
// WORD... prints the candidates for the last WORD (possibly empty), one per line.
const completeCommand = "__complete"

// completionScripts are the scripts `brs completion SHELL` prints. Each asks
// `brs __complete` for the candidates, so commands, flags and role names always match
// the brs that is installed and the config file in use. Each quotes what it inserts for
// its shell (bash with printf %q, zsh's compadd and fish by themselves), so a file name
// such as "x$(id)" or "*" is inserted as that name, never run or expanded; and the
// bash script reads the candidates line by line, without word splitting or globbing.
var completionScripts = map[string]string{
	"bash": `# bash completion for brs: eval "$(brs completion bash)", e.g. in ~/.bashrc
_brs_complete() {
  local c q
  COMPREPLY=()
  while IFS= read -r c; do
    printf -v q '%q' "$c"
    COMPREPLY+=("$q")
  done < <(brs __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
}
complete -o default -F _brs_complete brs
`,
	"zsh": `#compdef brs
# zsh completion for brs: source <(brs completion zsh), e.g. in ~/.zshrc after compinit
_brs() {
  local -a cands
  cands=("${(@f)$(brs __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  cands=(${cands:#})
  if (( ${#cands} == 0 )); then _files; return; fi
  compadd -- "${cands[@]}"
}
compdef _brs brs
`,
	"fish": `# fish completion for brs: brs completion fish > ~/.config/fish/completions/brs.fish
function __brs_complete
    set -l words (commandline -opc) (commandline -ct)
    brs __complete $words[2..-1] 2>/dev/null
end
complete -c brs -f -a '(__brs_complete)'
`,
}

// setupCompletion is `brs completion SHELL`.
func setupCompletion(*flag.FlagSet) runFunc {
	return func(_ context.Context, c *cli, args []string) int {
		script, ok := completionScripts[args[0]]
		if !ok {
			return c.usageError("no completion for shell %q: brs has completion for bash, fish and zsh", args[0])
		}
		fmt.Fprint(c.stdout, script)
		return exitOK
	}
}

// globalValueFlags are the global flags that take a value, and what the value is.
var globalValueFlags = map[string]string{"c": "file", "plugin-dir": "dir", "log-level": "level"}

// runComplete is `brs __complete WORD...`: the candidates for the last word, which is
// the one being typed. It never fails: a shell gets nothing rather than an error.
func (c *cli) runComplete(args []string) int {
	if len(args) == 0 {
		args = []string{""}
	}
	for _, cand := range c.complete(args[:len(args)-1], args[len(args)-1]) {
		if cand == "" || safetext.NeedsEscape(cand) {
			continue // a newline would split it in two, other controls act on the terminal
		}
		fmt.Fprintln(c.stdout, cand)
	}
	return exitOK
}

// complete returns the candidates for cur, typed after the words before.
func (c *cli) complete(before []string, cur string) []string {
	var cmd *command
	var cmdFlags *flag.FlagSet
	positional := 0
	afterDashes := false
	for i := 0; i < len(before); i++ {
		w := before[i]
		if afterDashes {
			positional++
			continue
		}
		if w == "--" && cmd != nil {
			afterDashes = true
			continue
		}
		if name, ok := flagName(w); ok {
			if strings.Contains(w, "=") {
				continue
			}
			if _, takes := globalValueFlags[name]; takes {
				if i+1 < len(before) && name == "c" {
					c.configFile = before[i+1]
				}
				i++
				continue
			}
			if cmdFlags != nil {
				if f := cmdFlags.Lookup(name); f != nil && !isBoolFlag(f) {
					i++
				}
			}
			continue
		}
		if cmd == nil {
			if cmd = lookupCommand(w); cmd == nil {
				return nil // an unknown command: nothing sensible to offer
			}
			cmdFlags = flag.NewFlagSet(cmd.name, flag.ContinueOnError)
			cmd.setup(cmdFlags)
			continue
		}
		positional++
	}

	// The value of a flag.
	if len(before) > 0 && !afterDashes {
		if name, ok := flagName(before[len(before)-1]); ok && !strings.Contains(before[len(before)-1], "=") {
			switch globalValueFlags[name] {
			case "file":
				return completeFiles(cur, false)
			case "dir":
				return completeFiles(cur, true)
			case "level":
				return withPrefix(slices.Sorted(maps.Keys(logLevels)), cur)
			}
			if cmdFlags != nil {
				if f := cmdFlags.Lookup(name); f != nil && !isBoolFlag(f) {
					switch {
					case cmd.name == "env" && name == "format":
						return withPrefix(slices.Sorted(maps.Keys(shells)), cur)
					case cmd.name == "import" && name == "o":
						return completeFiles(cur, false)
					}
					return nil // a value only the user knows: a duration, a path
				}
			}
		}
	}
	switch {
	case afterDashes:
		return nil // the command that brs exec runs: the shell's own completion
	case strings.HasPrefix(cur, "-"):
		return withPrefix(flagNames(cmdFlags), cur)
	case cmd == nil:
		var names []string
		for _, cmd := range commandList() {
			names = append(names, cmd.name)
		}
		return withPrefix(names, cur)
	case cmd.name == "help" && positional == 0:
		return c.complete(nil, cur)
	case positional == 0 && strings.HasPrefix(cmd.args, "ROLE"):
		return withPrefix(c.roleNames(), cur)
	case positional == 0 && cmd.name == "import":
		return completeFiles(cur, false) // the AWS config file
	case positional == 0 && cmd.name == "agent":
		return withPrefix([]string{"status", "stop"}, cur)
	case positional == 0 && cmd.name == "completion":
		return withPrefix(slices.Sorted(maps.Keys(completionScripts)), cur)
	}
	return nil
}

// roleNames returns the valid names of the roles in the config file in use, in file
// order; none when there is no config file or it does not parse far enough to name
// them. A name that validation rejects is left out: it names no role brs would run, and
// it is text from a file, which could be "x$(id)", "*" or hold a newline.
func (c *cli) roleNames() []string {
	path, err := c.configPath()
	if err != nil {
		return nil
	}
	names, _ := host.RoleNames(path) // as far as the file parses
	return slices.DeleteFunc(names, func(n string) bool { return !config.ValidName(n) })
}

// flagName returns the name of the flag w is ("-c", "--plugin-dir=x"), if it is one.
func flagName(w string) (string, bool) {
	if len(w) < 2 || w[0] != '-' || w == "--" {
		return "", false
	}
	name := strings.TrimLeft(w, "-")
	name, _, _ = strings.Cut(name, "=")
	return name, name != ""
}

// flagNames lists the global flags and those of fs (which may be nil) as typed.
func flagNames(fs *flag.FlagSet) []string {
	names := []string{"--help", "--log-level", "--plugin-dir", "-c"}
	if fs == nil {
		names = append(names, "--version")
	} else {
		fs.VisitAll(func(f *flag.Flag) {
			if len(f.Name) == 1 {
				names = append(names, "-"+f.Name)
			} else {
				names = append(names, "--"+f.Name)
			}
		})
	}
	sort.Strings(names)
	return slices.Compact(names)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// completeFiles lists the entries of cur's directory whose names start with cur's
// last element; directories end in "/". With dirsOnly, files are left out.
func completeFiles(cur string, dirsOnly bool) []string {
	dir, prefix := filepath.Split(cur)
	entries, err := os.ReadDir(cmp.Or(dir, "."))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if fi, err := os.Stat(filepath.Join(cmp.Or(dir, "."), name)); err == nil {
				isDir = fi.IsDir()
			}
		}
		switch {
		case isDir:
			out = append(out, dir+name+"/")
		case !dirsOnly:
			out = append(out, dir+name)
		}
	}
	return out
}

func withPrefix(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}
